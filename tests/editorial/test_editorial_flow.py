"""Routing, review, pauses, caps and the record, through the real pipeline and outbox
(in-process: a real feed server, a real SQLite file, a recording sink)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot import commands
from bot.deliver.pacer import Pacer
from bot.format.review import review_page
from bot.models import Post
from bot.services import Services
from bot.settings import parse_config
from tests.e2e.feeds import articles, rss
from tests.fakes.feed_server import FeedServer
from tests.pipeline.support import RecordingSink, queue_broadcast

KALTIM, JATENG, ADMIN = -1001, -1002, 42
SEED = "Humas Memiliki Peran Penting untuk Sukseskan Pemilu 2024"


@pytest.fixture
def feeds():
    server = FeedServer().start()
    server.set("/a.rss", rss(articles()))
    yield server
    server.stop()


def make(tmp_path, feeds, channels, **extra) -> tuple[Services, RecordingSink]:
    config = parse_config(
        {
            "database": f"sqlite:///{tmp_path / 'bot.db'}",
            "admins": [ADMIN],
            "feeds": [{"url": f"{feeds.url}/a.rss"}],
            "channels": channels,
            "fetch": {"allow_private_addresses": True},
            "parse_workers": 0,
            **extra,
        }
    )
    sink = RecordingSink()
    fast = Pacer(global_per_second=1000, group_per_minute=1000, chat_per_second=1000)
    return Services.create(config, sink, pacer=fast), sink


async def cycle(svc: Services) -> None:
    await svc.pipeline.poll()
    await svc.after_poll()
    await svc.outbox.deliver()


def titles(posts: list[Post]) -> list[str]:
    return [post.html.split("</b>")[0].removeprefix("<b>") for post in posts]


async def test_routing_by_region_sends_each_item_only_where_it_belongs(tmp_path, feeds):
    svc, sink = make(
        tmp_path,
        feeds,
        [{"chat_id": KALTIM, "regions": ["kaltim"]}, {"chat_id": JATENG, "regions": ["jateng"]}],
    )
    await cycle(svc)
    assert titles(sink.to(KALTIM)) == [SEED]
    assert len(sink.to(JATENG)) == 2 and SEED not in titles(sink.to(JATENG))


async def test_topics_feeds_score_and_source_lists_route_too(tmp_path, feeds):
    svc, sink = make(
        tmp_path,
        feeds,
        [
            {"chat_id": KALTIM, "min_score": 1000},
            {"chat_id": JATENG, "block_sources": ["berita.example"]},
            {
                "chat_id": -1003,
                "feeds": [f"{feeds.url}/a.rss"],
                "allow_sources": ["berita.example"],
            },
        ],
    )
    await cycle(svc)
    assert sink.to(KALTIM) == [] and sink.to(JATENG) == []
    assert len(sink.to(-1003)) == 3


async def test_a_review_channel_gets_nothing_until_an_admin_publishes(tmp_path, feeds):
    svc, sink = make(tmp_path, feeds, [{"chat_id": KALTIM, "mode": "review"}, {"chat_id": JATENG}])
    await cycle(svc)
    assert sink.to(KALTIM) == [] and len(sink.to(JATENG)) == 3
    (summary,) = sink.to(ADMIN)  # three reviews from one cycle: one summary
    assert "3 berita menunggu tinjauan" in summary.html
    assert summary.buttons == (("🔎 Tinjau", "rv:page:0"),)
    page = await svc.reviews.page(0)
    assert page is not None and page.count == 3
    text = review_page(page.facts, page.index, page.count, "id")
    assert "mode tinjau" in text and "berita pemilu karena" in text

    reviews = svc.store.reviews()
    now = datetime.now(UTC)
    assert svc.store.decide_review(reviews[0].id, publish=True, by=ADMIN, now=now)
    assert svc.store.decide_review(reviews[1].id, publish=False, by=ADMIN, now=now)
    assert svc.store.decide_review(reviews[1].id, publish=True, by=ADMIN, now=now) is None
    await svc.outbox.deliver()
    assert titles(sink.to(KALTIM)) == [reviews[0].title]

    await svc.after_poll()  # announced once only
    assert len(sink.to(ADMIN)) == 1
    expired = await svc.reviews.expire(now + timedelta(hours=13))
    assert expired == [reviews[2].id]
    assert [r.status for r in svc.store.reviews("expired")] == ["expired"]


async def test_forced_review_terms_hold_posts_even_in_auto_channels(tmp_path, feeds):
    svc, sink = make(tmp_path, feeds, [{"chat_id": KALTIM}], review={"terms": ["Bakohumas"]})
    await cycle(svc)
    assert SEED not in titles(sink.to(KALTIM)) and len(sink.to(KALTIM)) == 2
    [review] = svc.store.reviews()
    assert "Bakohumas" in review.reasons[str(KALTIM)]
    (announced,) = sink.to(ADMIN)  # one review: one message, the post with its reasons
    assert review.html in announced.html and "Bakohumas" in announced.html
    assert [data for _, data in announced.buttons] == [f"rv:pub:{review.id}", f"rv:rej:{review.id}"]


async def test_a_pause_holds_automatic_posts_and_resume_sends_them_all(tmp_path, feeds):
    svc, sink = make(tmp_path, feeds, [{"chat_id": KALTIM}, {"chat_id": JATENG}])
    now = datetime.now(UTC)
    svc.store.add_pause([str(KALTIM)], None, by=ADMIN, now=now)
    await cycle(svc)
    assert sink.to(KALTIM) == [] and len(sink.to(JATENG)) == 3
    assert svc.store.lift_pauses(None, by=ADMIN, now=now) == 1
    await svc.outbox.deliver()
    assert len(sink.to(KALTIM)) == 3


async def test_a_pause_everywhere_with_an_end_time_ends_by_itself(tmp_path, feeds):
    svc, sink = make(tmp_path, feeds, [{"chat_id": KALTIM}])
    now = datetime.now(UTC)
    svc.store.add_pause(None, now + timedelta(hours=1), by=ADMIN, now=now)
    await cycle(svc)
    assert sink.to(KALTIM) == []
    assert svc.store.active_pauses(now + timedelta(hours=2)) == []
    assert svc.store.lift_pauses([str(KALTIM)], by=ADMIN, now=now) == 0  # only /lanjut lifts all
    assert svc.store.lift_pauses(None, by=ADMIN, now=now) == 1


def quiet_now(config_tz: str = "Asia/Makassar") -> str:
    """Quiet hours from an hour ago to an hour ahead, local time."""
    from zoneinfo import ZoneInfo

    local = datetime.now(ZoneInfo(config_tz))
    start, end = local - timedelta(hours=1), local + timedelta(hours=1)
    return f"{start:%H.%M}-{end:%H.%M}"


async def test_caps_and_quiet_hours_hold_posts_back_and_say_so(tmp_path, feeds):
    svc, sink = make(
        tmp_path,
        feeds,
        [{"chat_id": KALTIM, "max_per_hour": 1}, {"chat_id": JATENG, "quiet_hours": quiet_now()}],
    )
    await cycle(svc)
    assert len(sink.to(KALTIM)) == 1 and sink.to(JATENG) == []
    held = [(chat, error) for chat, outcome, error in svc.store.delivery_log() if outcome == "held"]
    assert {chat for chat, _ in held} == {str(KALTIM), str(JATENG)}
    assert all("ditahan" in (error or "") for _, error in held)
    counts = svc.store.delivery_counts()
    assert counts[str(KALTIM)].get("pending") == 2 and counts[str(JATENG)].get("pending") == 3
    # Later, past the hour and the quiet hours, everything goes: nothing was lost.
    later = datetime.now(UTC) + timedelta(hours=3)
    svc.outbox.clock = lambda: later
    await svc.outbox.deliver()
    assert len(sink.to(KALTIM)) == 2 and len(sink.to(JATENG)) == 3


async def test_the_audit_export_lists_deliveries_reviews_and_pauses(tmp_path, feeds):
    svc, _ = make(tmp_path, feeds, [{"chat_id": KALTIM, "mode": "review"}, {"chat_id": JATENG}])
    await cycle(svc)
    now = datetime.now(UTC)
    svc.store.add_pause(None, None, by=ADMIN, now=now)
    svc.store.record_audit(
        user_id=ADMIN, user_name="@humas", chat_id=ADMIN, action="jeda", detail="", now=now
    )
    out = io.StringIO()
    assert commands.audit(svc.config, since=None, fmt="json", out=out) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    kinds = {row["kind"] for row in rows}
    assert kinds >= {"delivery", "review", "pause", "admin"}
    assert all(
        set(row) == {"at", "kind", "action", "actor", "chat", "item_id", "title", "detail"}
        for row in rows
    )
    csv_out = io.StringIO()
    commands.audit(svc.config, since="2999-01-01", fmt="csv", out=csv_out)
    assert csv_out.getvalue().splitlines() == ["at,kind,action,actor,chat,item_id,title,detail"]
    assert commands.audit(svc.config, since="kemarin", fmt="csv", out=io.StringIO()) == 2


async def test_retention_forgets_who_people_were_in_old_records(tmp_path, feeds):
    svc, _ = make(tmp_path, feeds, [{"chat_id": KALTIM}])
    old = datetime.now(UTC) - timedelta(days=400)
    svc.store.record_audit(
        user_id=ADMIN, user_name="@humas", chat_id=ADMIN, action="siarkan", detail="x", now=old
    )
    counts = svc.store.apply_retention(datetime.now(UTC) - timedelta(days=365))
    assert counts["audit"] == 1
    [entry] = [r for r in svc.store.records() if r.kind == "admin"]
    assert entry.actor == "0" and entry.action == "siarkan"


async def test_an_admin_broadcast_is_not_held_behind_posts_in_quiet_hours(tmp_path, feeds):
    svc, sink = make(tmp_path, feeds, [{"chat_id": JATENG, "quiet_hours": quiet_now()}])
    await cycle(svc)
    assert sink.to(JATENG) == []
    now = datetime.now(UTC)
    queue_broadcast(svc.store, [JATENG], now)
    await svc.outbox.deliver()
    assert [post.html for post in sink.to(JATENG)] == ["Siaran"]
