"""Feeds added and removed by admins (checked first), the status at a glance, and what the
public reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.services import Services
from bot.services.feeds import FeedRefusal, SourceAdded, SourceRemoved, SourceUnusable
from bot.services.status import StatusReport
from tests.e2e.feeds import articles, rss
from tests.fakes.feed_server import FeedServer
from tests.services.conftest import AS_ADMIN, TableProbe, audit_actions, build


@pytest.fixture
def server() -> Iterator[FeedServer]:
    server = FeedServer().start()
    server.set("/a.rss", rss(articles()), content_type="application/rss+xml")
    yield server
    server.stop()


@pytest.fixture
def fetching(tmp_path: Any, server: FeedServer) -> Iterator[Services]:
    services, _ = build(
        tmp_path,
        TableProbe(),
        feeds=[{"url": f"{server.url}/a.rss", "name": "Berita Uji"}],
        fetch={"allow_private_addresses": True, "timeout": 5},
    )
    yield services
    services.close()


async def test_a_feed_is_checked_added_once_and_removed(fetching: Services, server: FeedServer):
    feeds = fetching.feeds
    assert await feeds.add("ftp://situs.example/", AS_ADMIN) is FeedRefusal.BAD_URL
    server.set("/kosong.html", b"<html><body>Tidak ada umpan</body></html>")
    unusable = await feeds.add(f"{server.url}/kosong.html", AS_ADMIN)
    assert isinstance(unusable, SourceUnusable)

    server.set("/b.rss", rss(articles()[:2]), content_type="application/rss+xml")
    added = await feeds.add(f"{server.url}/b.rss", AS_ADMIN)
    assert isinstance(added, SourceAdded) and added.added and added.found == "feed"
    again = await feeds.add(f"{server.url}/b.rss", AS_ADMIN)
    assert isinstance(again, SourceAdded) and not again.added
    listed = {f.url: f.id for f in await feeds.listed(admin=True)}
    assert f"{server.url}/b.rss" in listed

    removed = await feeds.remove(listed[f"{server.url}/b.rss"], AS_ADMIN)
    assert removed == SourceRemoved(f"{server.url}/b.rss")
    config_feed = listed[f"{server.url}/a.rss"]
    assert await feeds.remove(config_feed, AS_ADMIN) is FeedRefusal.NOT_REMOVABLE
    assert audit_actions(fetching) == ["source_add", "source_remove"]


async def test_the_status_counts_feeds_deliveries_and_the_last_poll(fetching: Services):
    before = await fetching.status.report(AS_ADMIN)
    assert isinstance(before, StatusReport) and before.last_poll_at is None
    await fetching.pipeline.poll()
    fetching.last_poll_at = fetching.status.clock()
    after = await fetching.status.report(AS_ADMIN)
    assert isinstance(after, StatusReport)
    assert after.feeds_ok == 1 and after.feeds_failing == 0
    assert after.pending > 0 and after.last_poll_at is not None


async def test_the_public_reads_the_latest_and_searches(fetching: Services):
    await fetching.pipeline.poll()
    await fetching.outbox.deliver()  # the public sees what went out
    latest = await fetching.search.latest(2)
    newest = await fetching.search.published(limit=2)
    assert [p.item_id for p in latest] == [p.item_id for p in reversed(newest)]
    word = newest[0].title.split()[0]
    found = await fetching.search.search(word)
    assert newest[0].item_id in [p.item_id for p in found]
    token = await fetching.search.keep_query(5, "kata " * 30)
    assert await fetching.search.kept_query(5, token) == "kata " * 30
    assert await fetching.search.kept_query(6, token) is None  # another chat's
