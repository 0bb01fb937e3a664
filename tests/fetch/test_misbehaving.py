"""The gaps in the fetcher's limits, each against a real server misbehaving that way."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

import pytest

from bot.fetch import Fetcher
from bot.parse import parse_feed
from tests.fakes.feed_server import SAMPLE_RSS as RSS
from tests.fakes.feed_server import FeedServer

PAGE = b"<html><head><title>Berita</title></head><body><article><p>Isi.</p></article></body></html>"


@pytest.mark.parametrize("kind", ["image/png", "application/pdf", "video/mp4", "application/zip"])
async def test_a_type_that_cannot_be_a_feed_is_refused_unread(
    server: FeedServer, fetcher: Fetcher, kind: str
) -> None:
    server.fault("/feed.rss", content_type=kind)
    result = await fetcher.fetch(server.url + "/feed.rss")
    assert result.error == f"unexpected content type {kind}: not a feed" and result.body is None


@pytest.mark.parametrize(
    "kind", ["text/html; charset=utf-8", "text/plain", "application/octet-stream"]
)
async def test_odd_but_possible_feed_types_are_read(
    server: FeedServer, fetcher: Fetcher, kind: str
) -> None:
    server.fault("/feed.rss", content_type=kind)
    result = await fetcher.fetch(server.url + "/feed.rss")
    assert result.ok and result.body == RSS


async def test_an_article_page_must_be_html(server: FeedServer, fetcher: Fetcher) -> None:
    server.set("/berita.html", PAGE)
    page = await fetcher.fetch(server.url + "/berita.html", page=True)
    assert page.ok and page.body == PAGE
    assert server.requests("/berita.html")[0].headers["accept"].startswith("text/html")
    feed_as_page = await fetcher.fetch(server.url + "/feed.rss", page=True)
    assert feed_as_page.error == "unexpected content type application/rss+xml: not an HTML page"


async def test_a_truncated_body_is_returned_and_parsed_as_far_as_it_goes(
    server: FeedServer, fetcher: Fetcher
) -> None:
    cut = RSS.index(b"</item>")
    server.fault("/feed.rss", truncate=cut)
    result = await fetcher.fetch(server.url + "/feed.rss")
    assert result.ok and result.body == RSS[:cut]
    feed = parse_feed(result.body, url=server.url + "/feed.rss")
    assert [item.title for item in feed.items] == ["KPU tetapkan jadwal"]


async def test_too_many_requests_and_unavailable_carry_their_retry_after(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.fault("/feed.rss", status=429, headers={"Retry-After": "600"})
    limited = await fetcher.fetch(server.url + "/feed.rss")
    assert (limited.status, limited.error, limited.retry_after) == (429, "HTTP 429", 600.0)
    server.fault("/feed.rss", status=503)
    busy = await fetcher.fetch(server.url + "/feed.rss")
    assert (busy.status, busy.retry_after) == (503, None)


async def test_a_slow_feed_does_not_hold_up_the_others(
    server: FeedServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    gate = threading.Event()
    server.set("/slow.rss", RSS)
    server.fault("/slow.rss", gate=gate)
    fetcher = make_fetcher(timeout=0.4, per_host=1)
    started = time.monotonic()
    slow, *fast = await asyncio.gather(
        fetcher.fetch(server.url + "/slow.rss"),
        *(fetcher.fetch(server.url_for("/feed.rss", "localhost")) for _ in range(3)),
    )
    gate.set()
    assert slow.error == "timed out after 0.4s"
    assert all(result.ok for result in fast)
    assert time.monotonic() - started < 1.5


async def test_a_gone_feed_answers_410(server: FeedServer, fetcher: Fetcher) -> None:
    server.fault("/feed.rss", status=410)
    result = await fetcher.fetch(server.url + "/feed.rss")
    assert result.status == 410 and result.error == "HTTP 410"


async def test_short_answers_are_drained_so_the_connection_is_reused(
    make_fetcher: Callable[..., Fetcher],
) -> None:
    connections = 0
    answers = iter([b"304 Not Modified", b"500 Oops", b"404 Not Found", b"304 Not Modified"])

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while (line := await reader.readline()) and line.strip():
            while (await reader.readline()).strip():
                pass
            status = next(answers)
            body = b"" if status.startswith(b"304") else b"<h1>error page</h1>"
            writer.write(
                b"HTTP/1.1 " + status + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body
            )
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    fetcher = make_fetcher()
    try:
        statuses = [
            (await fetcher.fetch(f"http://127.0.0.1:{port}/f.rss", etag='"1"')).status
            for _ in range(4)
        ]
    finally:
        server.close()
    assert statuses == [304, 500, 404, 304] and connections == 1
