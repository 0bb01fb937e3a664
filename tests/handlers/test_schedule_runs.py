"""Schedules run from the database: on time and once, across a restart, late within the grace
period with a note, or reported as missed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage.broadcasts import Draft
from tests.e2e.feeds import election_titles
from tests.handlers.harness import ADMIN, CHANNELS, Bot, make_config, settle

FIRST, SECOND = CHANNELS


def _schedule(bot_or_store, run_at: datetime, text: str, **fields) -> int:
    store = getattr(bot_or_store, "services", None)
    store = store.store if store else bot_or_store
    draft = Draft(
        html=text,
        image=None,
        targets=fields.get("targets"),
        run_at=run_at,
        repeat=fields.get("repeat", "once"),
        content=fields.get("content", "text"),
        timezone="Asia/Makassar",
        created_by=ADMIN,
        created_by_name="Admin",
        created_in=ADMIN,
    )
    broadcast_id = store.create_broadcast(draft, now=datetime.now(UTC))
    assert store.confirm_broadcast(broadcast_id) is not None
    return broadcast_id


@pytest.fixture
async def bot(tmp_path, api, feeds, database_url) -> AsyncIterator[Bot]:
    """The handlers' bot, on each database backend in turn."""
    config = make_config(tmp_path, feeds, api, database=database_url)
    running = await Bot(api, config).start()
    await running.posts_delivered()
    yield running
    await running.stop()


def _texts(bot: Bot, chat_id: int) -> list[str]:
    return [c["text"] for c in bot.sent_to(chat_id, ok=True)]


async def test_a_schedule_a_moment_ahead_fires_once(bot: Bot):
    broadcast_id = _schedule(bot, datetime.now(UTC) + timedelta(seconds=1), "Tepat waktu")
    bot.app.bot_data.scheduler.arrange(bot.services.store.get_broadcast(broadcast_id))
    await bot.api.await_calls(1, 10, method="sendMessage", chat_id=FIRST, text="Tepat waktu")
    await bot.api.await_calls(1, 10, method="sendMessage", chat_id=SECOND, text="Tepat waktu")
    expected = bot.services.store.get_broadcast(broadcast_id).draft.run_at
    await bot.app.bot_data.scheduler.fire(broadcast_id, expected)  # a second firing does nothing
    await bot.ask("/status", user_id=ADMIN)
    done = bot.services.store.get_broadcast(broadcast_id)
    assert (done.status, done.runs) == ("done", 1)
    assert _texts(bot, FIRST).count("Tepat waktu") == 1


async def test_a_schedule_survives_a_stop_and_start(tmp_path, api, feeds, database_url):
    config = make_config(tmp_path, feeds, api, database=database_url)
    bot = await Bot(api, config).start()
    await bot.posts_delivered()
    broadcast_id = _schedule(bot, datetime.now(UTC) + timedelta(seconds=2), "Setelah restart")
    await bot.stop()
    run_at = bot.services.store.get_broadcast(broadcast_id).draft.run_at
    bot = await Bot(api, config).start()
    try:
        registered = bot.app.job_queue.get_jobs_by_name(f"broadcast:{broadcast_id}")
        assert registered or run_at <= datetime.now(UTC)  # a slow restart finds it due: sent now
        await bot.api.await_calls(
            1, 10, method="sendMessage", chat_id=FIRST, text="Setelah restart"
        )
        await settle(lambda: bot.services.store.get_broadcast(broadcast_id).status == "done")
    finally:
        await bot.stop()
    assert _texts(bot, FIRST).count("Setelah restart") == 1


async def test_missed_runs_are_reported_and_recent_ones_sent_late(
    tmp_path, api, feeds, database_url
):
    config = make_config(tmp_path, feeds, api, database=database_url)
    bot = await Bot(api, config).start()
    await bot.posts_delivered()
    now = datetime.now(UTC)
    missed = _schedule(bot, now + timedelta(hours=1), "Terlalu lambat")
    late = _schedule(bot, now + timedelta(hours=1), "Masih sempat")
    daily = _schedule(bot, now + timedelta(hours=1), "Harian", repeat="daily")
    await bot.stop()
    with bot.services.store.session() as session:  # the bot was down while they were due
        from bot.storage.schema import BroadcastRow

        session.get(BroadcastRow, missed).run_at = now - timedelta(hours=2)
        session.get(BroadcastRow, late).run_at = now - timedelta(minutes=5)
        session.get(BroadcastRow, daily).run_at = now - timedelta(hours=3)
    bot = await Bot(api, config).start()
    try:
        await settle(lambda: bot.services.store.get_broadcast(late).status == "done")
        notices = await bot.api.await_calls(3, 10, method="sendMessage", chat_id=ADMIN)
        texts = [n["text"] for n in notices]
        assert any(f"#{missed}" in t and "terlewat" in t for t in texts)
        assert any(f"#{daily}" in t and "terlewat" in t for t in texts)
        assert any(f"#{late}" in t and "terlambat" in t for t in texts)
        for chat_id in CHANNELS:
            await settle(
                lambda c=chat_id: any(t.startswith("Masih sempat") for t in _texts(bot, c))
            )
        assert bot.services.store.get_broadcast(missed).status == "missed"
        await settle(lambda: bool(bot.app.job_queue.get_jobs_by_name(f"broadcast:{daily}")))
        recurring = bot.services.store.get_broadcast(daily)
        assert recurring.status == "pending" and recurring.draft.run_at > now
    finally:
        await bot.stop()
    assert not any("Terlalu lambat" in t for t in _texts(bot, FIRST))
    (sent_late,) = [t for t in _texts(bot, FIRST) if t.startswith("Masih sempat")]
    assert "terkirim terlambat" in sent_late


async def test_the_digest_holds_the_periods_election_posts(bot: Bot):
    broadcast_id = _schedule(
        bot,
        datetime.now(UTC) + timedelta(seconds=1),
        "",
        content="digest",
        repeat="daily",
        targets=(str(FIRST),),
    )
    bot.app.bot_data.scheduler.arrange(bot.services.store.get_broadcast(broadcast_id))
    before = len(bot.sent_to(FIRST))
    digest = (await bot.api.await_calls(before + 1, 10, method="sendMessage", chat_id=FIRST))[-1]
    assert digest["text"].startswith("<b>Ringkasan berita pemilu</b>")
    assert "24 jam terakhir" in digest["text"]
    for title in election_titles():
        assert title in digest["text"]
    assert "Persiba" not in digest["text"] and "Banjir" not in digest["text"]
    again = bot.services.store.get_broadcast(broadcast_id)
    assert again.status == "pending" and again.runs == 1
    assert again.draft.run_at > datetime.now(UTC) + timedelta(hours=23)
    assert len(bot.sent_to(SECOND)) == len(election_titles())  # not a target
