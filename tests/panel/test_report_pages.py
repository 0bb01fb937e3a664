"""The overview and the history pages show what the report services compute
(bot.services.status's overview, bot.services.history): the same figures as the CLI's."""

from __future__ import annotations

from datetime import timedelta

from bot.fetch.health import FeedCheck
from bot.services.base import Actor
from tests.panel.conftest import ADMIN, Panel


async def test_the_overview_shows_failing_feeds_schedules_and_pauses(panel: Panel):
    store = panel.services.store
    store.add_admin_feed("https://mati.example/rss", "Situs Mati", by=ADMIN, now=panel.clock.now)
    await panel.services.feeds.resync()
    [feed] = store.feed_list()
    failed = FeedCheck(feed.id, "failed", panel.clock.now, error="HTTP 503")
    store.record_checks([failed], now=panel.clock.now)
    await panel.services.editorial.pause(["-1002"], None, Actor(ADMIN))
    await panel.login()
    page = (await panel.client.get("/panel")).text
    assert "Situs Mati" in page and "HTTP 503" in page
    assert "-1002" in page and "/lanjut" in page


async def test_the_history_page_reads_days_in_the_configured_timezone(panel: Panel):
    store = panel.services.store
    old = panel.clock.now - timedelta(days=30)
    store.record_audit(
        user_id=9, user_name="@lama", chat_id=None, action="lama", detail="", now=old
    )
    await panel.login()
    page = (await panel.client.get("/panel/riwayat")).text  # the last 7 days by default
    assert "panel_login" in page and "@lama" not in page
    day = old.astimezone(panel.services.history.zone).date().isoformat()
    found = (await panel.client.get(f"/panel/riwayat?dari={day}&sampai={day}")).text
    assert "@lama" in found and "panel_login" not in found
