"""Two instances polling one database at the same moment: each due feed is fetched once, and a
story carried by two feeds is queued once."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import func, select

from bot.storage.schema import DeliveryRow
from tests.e2e.feeds import articles
from tests.fakes.feed_server import FeedServer
from tests.pipeline.support import entry, feed, make_services


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


async def test_two_instances_polling_at_once_fetch_each_feed_once_and_queue_once(
    tmp_path, server, database_url
):
    news = [a for a in articles() if a["is_election"]][:8]
    for i, a in enumerate(news):
        body = entry(f"g-{i}", f"https://portal{i}.example/{i}", a["title"], a["text"])
        server.set(f"/f{i}.rss", feed(f"Portal {i}", body))
    shared = news[0]  # a ninth feed carries the first story again, under its own guid
    copy = entry("copy", "https://portal0.example/0?utm_source=x", shared["title"], shared["text"])
    server.set("/copy.rss", feed("Portal Salinan", copy))
    paths = [f"/f{i}.rss" for i in range(len(news))] + ["/copy.rss"]
    feeds = [{"url": f"{server.url}{path}"} for path in paths]
    (first, _), (second, _) = (
        make_services(tmp_path / name, feeds, database=database_url) for name in ("a", "b")
    )
    reports = await asyncio.gather(first.pipeline.poll(), second.pipeline.poll())
    assert sum(r.feeds_checked for r in reports) == len(paths)
    assert Counter(r.path for r in server.requests()) == dict.fromkeys(paths, 1)
    with first.store.session() as session:
        per_item = session.execute(
            select(DeliveryRow.item_id, func.count()).group_by(DeliveryRow.item_id)
        ).all()
    assert len(per_item) == len(news)  # the copy became a duplicate, wherever it was read
    assert all(count == 2 for _, count in per_item)  # one delivery per channel
    first.close()
    second.close()
