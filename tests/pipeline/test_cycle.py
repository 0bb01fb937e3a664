"""The pipeline recipe in-process: a real feed server, a real SQLite file, a recording sink."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.deliver.pacer import Pacer
from bot.services import Services
from bot.settings import parse_config
from tests.e2e.feeds import articles, election_titles, rss
from tests.fakes.feed_server import FeedServer
from tests.pipeline.support import RecordingSink


@pytest.fixture
def feeds():
    server = FeedServer().start()
    server.set("/a.rss", rss(articles()))
    yield server
    server.stop()


def services(tmp_path, feeds, **extra) -> tuple[Services, RecordingSink]:
    config = parse_config(
        {
            "database": f"sqlite:///{tmp_path / 'bot.db'}",
            "feeds": [{"url": f"{feeds.url}/a.rss"}],
            "channels": [{"chat_id": -1001}, {"chat_id": -1002, "template": "ringkas"}],
            "fetch": {"allow_private_addresses": True},
            **extra,
        }
    )
    sink = RecordingSink()
    fast = Pacer(global_per_second=1000, group_per_minute=1000, chat_per_second=1000)
    return Services.create(config, sink, pacer=fast), sink


async def test_a_cycle_posts_election_items_with_each_channels_template(tmp_path, feeds):
    svc, sink = services(tmp_path, feeds)
    report = await svc.pipeline.poll()
    delivery = await svc.outbox.deliver()
    assert (report.new_items, report.election_items) == (len(articles()), len(election_titles()))
    assert delivery.sent == 2 * len(election_titles())
    standard = [p.html for chat, p in sink.sent if chat == -1001]
    short = [p.html for chat, p in sink.sent if chat == -1002]
    assert all("<i>" in html for html in standard)  # quotes shown by default
    assert not any("<i>" in html for html in short)  # ringkas: headline and source only
    assert all(len(s) < len(d) for s, d in zip(short, standard, strict=True))


async def test_a_second_cycle_sends_nothing_and_asks_with_validators(tmp_path, feeds):
    svc, sink = services(tmp_path, feeds)
    await svc.pipeline.poll()
    await svc.outbox.deliver()
    later = datetime.now(UTC) + timedelta(minutes=10)
    report = await svc.pipeline.poll(now=later)
    await svc.outbox.deliver()
    assert report.not_modified == 1
    assert feeds.requests("/a.rss")[-1].headers.get("if-none-match")
    assert len(sink.sent) == 2 * len(election_titles())


async def test_a_feed_that_is_not_due_is_not_fetched(tmp_path, feeds):
    svc, _ = services(tmp_path, feeds)
    await svc.pipeline.poll()
    report = await svc.pipeline.poll()
    assert report.feeds_checked == 0 and len(feeds.requests("/a.rss")) == 1


async def test_an_archive_is_stored_but_not_posted(tmp_path, feeds):
    feeds.set("/a.rss", rss(articles(), now=datetime.now(UTC) - timedelta(days=3)))
    svc, sink = services(tmp_path, feeds)
    report = await svc.pipeline.poll()
    await svc.outbox.deliver()
    assert report.new_items == len(articles()) and report.queued == 0 and sink.sent == []


async def test_a_garbage_feed_is_recorded_as_failing_and_retried_later(tmp_path, feeds):
    feeds.set("/a.rss", b"<html><body>Maintenance</body></html>", content_type="text/html")
    svc, _ = services(tmp_path, feeds)
    report = await svc.pipeline.poll()
    assert report.feeds_failed == 1
    [health] = svc.store.feed_health()
    assert health.failures == 1 and "not a feed" in (health.last_error or "")
    assert health.next_check and health.next_check > datetime.now(UTC) + timedelta(minutes=9)
