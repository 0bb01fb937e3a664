"""/sumber tambah with a feed that has one unusable character: the feed is added, not a crash."""

from __future__ import annotations

from tests.fakes.feed_server import FeedServer
from tests.handlers.harness import ADMIN, Bot

FEED = (
    b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Umpan Aneh</title>'
    b"<item><title>KPU &#xD800; rapat</title><link>https://a.example/1</link></item>"
    b"<item><title>Bawaslu</title><link>https://a.example/2</link></item></channel></rss>"
)


async def test_a_lone_surrogate_does_not_stop_a_source_being_added(bot: Bot, feeds: FeedServer):
    feeds.set("/aneh.rss", FEED, content_type="application/rss+xml")
    (reply,) = await bot.ask(f"/sumber tambah {feeds.url}/aneh.rss", user_id=ADMIN)
    assert "Sumber ditambahkan: Umpan Aneh" in reply["text"]
