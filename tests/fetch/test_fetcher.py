"""Fetcher against a real HTTP server on 127.0.0.1: answers, validators, redirects, limits."""

from __future__ import annotations

import asyncio
import threading
import time
import tracemalloc
from collections.abc import Callable

from bot.fetch import Fetcher
from tests.fakes.feed_server import SAMPLE_RSS as RSS
from tests.fakes.feed_server import FeedServer


async def test_200_returns_the_body_validators_and_content_type(
    server: FeedServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    fetcher = make_fetcher(user_agent="humasbot-test/1")
    result = await fetcher.fetch(server.url + "/feed.rss")
    assert result.ok and result.status == 200 and result.body == RSS
    assert result.etag and result.etag.startswith('"')
    assert result.last_modified and result.last_modified.endswith("GMT")
    assert result.content_type == "application/rss+xml"
    assert result.final_url == server.url + "/feed.rss" and result.permanent_redirect is None
    (request,) = server.requests("/feed.rss")
    assert request.headers["user-agent"] == "humasbot-test/1"
    assert "gzip" in request.headers["accept-encoding"]


async def test_304_when_the_etag_still_matches(server: FeedServer, fetcher: Fetcher) -> None:
    first = await fetcher.fetch(server.url + "/feed.rss")
    second = await fetcher.fetch(server.url + "/feed.rss", etag=first.etag)
    assert second.status == 304 and second.not_modified
    assert second.body is None and second.error is None
    assert second.etag == first.etag
    assert server.requests("/feed.rss")[1].headers["if-none-match"] == first.etag


async def test_304_when_not_modified_since(server: FeedServer, fetcher: Fetcher) -> None:
    first = await fetcher.fetch(server.url + "/feed.rss")
    second = await fetcher.fetch(server.url + "/feed.rss", last_modified=first.last_modified)
    assert second.status == 304 and second.body is None
    assert second.last_modified == first.last_modified
    assert "if-none-match" not in server.requests("/feed.rss")[1].headers


async def test_a_new_version_is_fetched_again(server: FeedServer, fetcher: Fetcher) -> None:
    first = await fetcher.fetch(server.url + "/feed.rss")
    server.set("/feed.rss", RSS.replace(b"Berita", b"Berita baru"))
    second = await fetcher.fetch(server.url + "/feed.rss", etag=first.etag)
    assert second.status == 200 and second.body and b"Berita baru" in second.body
    assert second.etag != first.etag


async def test_a_changing_etag_never_gives_304(server: FeedServer, fetcher: Fetcher) -> None:
    server.fault("/feed.rss", changing_etag=True)
    first = await fetcher.fetch(server.url + "/feed.rss")
    second = await fetcher.fetch(server.url + "/feed.rss", etag=first.etag)
    assert second.status == 200 and second.etag != first.etag


async def test_http_errors_are_returned_with_retry_after(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.fault("/feed.rss", status=500)
    failed = await fetcher.fetch(server.url + "/feed.rss")
    assert failed.status == 500 and failed.error == "HTTP 500" and failed.body is None
    server.fault("/feed.rss", status=503, headers={"Retry-After": "120"})
    busy = await fetcher.fetch(server.url + "/feed.rss")
    assert busy.error == "HTTP 503" and busy.retry_after == 120.0
    missing = await fetcher.fetch(server.url + "/nothing.rss")
    assert missing.status == 404 and missing.error == "HTTP 404"


async def test_cache_control_and_wrong_content_type_are_recorded(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.fault("/feed.rss", content_type="text/html", headers={"Cache-Control": "max-age=300"})
    result = await fetcher.fetch(server.url + "/feed.rss")
    assert result.ok and result.max_age == 300 and result.content_type == "text/html"


async def test_a_silent_server_times_out(
    server: FeedServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    gate = threading.Event()
    server.fault("/feed.rss", gate=gate)
    fetcher = make_fetcher(timeout=0.3)
    started = time.monotonic()
    result = await fetcher.fetch(server.url + "/feed.rss")
    gate.set()
    assert result.error == "timed out after 0.3s" and result.body is None
    assert time.monotonic() - started < 3


async def test_the_deadline_covers_a_body_that_trickles(
    server: FeedServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    # every piece arrives well within the read timeout, but the whole body does not
    server.set("/slow.rss", RSS + b"<!--" + b"x" * 40_000 + b"-->")
    server.fault("/slow.rss", chunk_delay=0.05)
    fetcher = make_fetcher(timeout=0.5)
    started = time.monotonic()
    result = await fetcher.fetch(server.url + "/slow.rss")
    assert result.error == "timed out after 0.5s"
    assert time.monotonic() - started < 1.5


async def test_a_temporary_redirect_is_followed(server: FeedServer, fetcher: Fetcher) -> None:
    server.fault("/old.rss", redirect="/feed.rss", redirect_status=302)
    result = await fetcher.fetch(server.url + "/old.rss")
    assert result.ok and result.body == RSS
    assert result.url == server.url + "/old.rss"
    assert result.final_url == server.url + "/feed.rss"
    assert result.permanent_redirect is None


async def test_a_chain_of_permanent_redirects_is_recorded(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.fault("/a.rss", redirect="/b.rss", redirect_status=301)
    server.fault("/b.rss", redirect=server.url + "/feed.rss", redirect_status=308)
    result = await fetcher.fetch(server.url + "/a.rss")
    assert result.ok and result.permanent_redirect == server.url + "/feed.rss"


async def test_one_temporary_hop_makes_the_move_not_permanent(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.fault("/a.rss", redirect="/b.rss", redirect_status=301)
    server.fault("/b.rss", redirect="/feed.rss", redirect_status=307)
    result = await fetcher.fetch(server.url + "/a.rss")
    assert result.ok and result.permanent_redirect is None


async def test_a_redirect_loop_stops(
    server: FeedServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    server.fault("/a.rss", redirect="/b.rss")
    server.fault("/b.rss", redirect="/a.rss")
    result = await make_fetcher(max_redirects=3).fetch(server.url + "/a.rss")
    assert result.error == "too many redirects (more than 3)" and result.body is None
    assert len(server.requests()) == 4


async def test_no_redirects_allowed(
    server: FeedServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    server.fault("/old.rss", redirect="/feed.rss")
    result = await make_fetcher(max_redirects=0).fetch(server.url + "/old.rss")
    assert result.error == "too many redirects (more than 0)"


async def test_a_redirect_to_a_local_file_is_refused(server: FeedServer, fetcher: Fetcher) -> None:
    server.fault("/feed.rss", redirect="file:///etc/passwd")
    result = await fetcher.fetch(server.url + "/feed.rss")
    assert result.error == "refused: redirect to a file: URL (file:///etc/passwd)"


async def test_the_size_cap_is_exact(
    server: FeedServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    at_cap = await make_fetcher(max_bytes=len(RSS)).fetch(server.url + "/feed.rss")
    assert at_cap.ok and at_cap.body == RSS
    over = await make_fetcher(max_bytes=len(RSS) - 1).fetch(server.url + "/feed.rss")
    assert over.error == f"body larger than {len(RSS) - 1} bytes" and over.body is None


async def test_a_huge_body_is_cut_off(
    server: FeedServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    server.fault("/feed.rss", huge_bytes=20 * 1024 * 1024)
    result = await make_fetcher(max_bytes=1024 * 1024).fetch(server.url + "/feed.rss")
    assert result.error == "body larger than 1048576 bytes" and result.status == 200


async def test_a_gzip_body_is_decoded(server: FeedServer, fetcher: Fetcher) -> None:
    server.fault("/feed.rss", gzip=True)
    result = await fetcher.fetch(server.url + "/feed.rss")
    assert result.ok and result.body == RSS


async def test_a_gzip_bomb_stops_at_the_cap_without_inflating(
    server: FeedServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    server.fault("/feed.rss", gzip_bomb=64 * 1024 * 1024)
    fetcher = make_fetcher(max_bytes=1024 * 1024)
    tracemalloc.start()
    try:
        result = await fetcher.fetch(server.url + "/feed.rss")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.error == "body larger than 1048576 bytes"
    assert peak < 8 * 1024 * 1024  # 64 MiB would have been inflated without the cap


async def test_a_dropped_connection_is_an_error(server: FeedServer, fetcher: Fetcher) -> None:
    server.fault("/feed.rss", drop=True)
    result = await fetcher.fetch(server.url + "/feed.rss")
    assert result.error and result.error.startswith("connection broken:")
    assert result.status is None and result.body is None


async def test_a_closed_port_is_an_error(fetcher: Fetcher) -> None:
    with FeedServer() as gone:
        url = gone.url + "/feed.rss"
    result = await fetcher.fetch(url)
    assert result.error and result.error.startswith("cannot connect:")


async def test_unsupported_schemes_are_refused(fetcher: Fetcher) -> None:
    result = await fetcher.fetch("ftp://berita.example/feed.rss")
    assert result.error == "unsupported URL scheme: ftp"


async def test_concurrency_is_bounded_overall(
    server: FeedServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    gate = threading.Event()
    server.fault("/feed.rss", gate=gate)
    fetcher = make_fetcher(max_concurrency=2, per_host=10)
    tasks = [asyncio.create_task(fetcher.fetch(server.url + "/feed.rss")) for _ in range(6)]
    assert await asyncio.to_thread(server.wait_in_flight, 2)
    gate.set()
    results = await asyncio.gather(*tasks)
    assert all(result.ok for result in results)
    assert server.peak_in_flight() == 2 and len(server.requests()) == 6


async def test_concurrency_is_bounded_per_host(
    server: FeedServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    gate = threading.Event()
    server.fault("/feed.rss", gate=gate)
    fetcher = make_fetcher(max_concurrency=10, per_host=1)
    urls = [server.url_for("/feed.rss", host=host) for host in ("127.0.0.1", "localhost") * 3]
    tasks = [asyncio.create_task(fetcher.fetch(url)) for url in urls]
    assert await asyncio.to_thread(server.wait_in_flight, 2)
    gate.set()
    results = await asyncio.gather(*tasks)
    assert all(result.ok for result in results)
    assert server.peak_in_flight("127.0.0.1") == 1 and server.peak_in_flight("localhost") == 1
    assert server.peak_in_flight() == 2
