"""file:// feeds, and bodies in the content encodings the fetcher asks for."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.fetch import Fetcher
from bot.settings import FetchConfig
from tests.fakes.feed_server import SAMPLE_RSS


async def test_a_file_url_is_read_with_validators(tmp_path: Path, fetcher: Fetcher) -> None:
    feed = tmp_path / "berita.rss"
    feed.write_bytes(SAMPLE_RSS)
    first = await fetcher.fetch(feed.as_uri())
    assert first.ok and first.status == 200 and first.body == SAMPLE_RSS
    assert first.content_type == "application/rss+xml"
    again = await fetcher.fetch(feed.as_uri(), etag=first.etag)
    assert again.status == 304 and again.body is None and again.error is None
    by_date = await fetcher.fetch(feed.as_uri(), last_modified=first.last_modified)
    assert by_date.status == 304


async def test_file_urls_are_allowed_with_the_guard_on(tmp_path: Path) -> None:
    feed = tmp_path / "berita.rss"
    feed.write_bytes(SAMPLE_RSS)
    async with Fetcher(FetchConfig(allow_private_addresses=False)) as fetcher:
        result = await fetcher.fetch(feed.as_uri())
    assert result.ok


async def test_file_errors_are_returned(tmp_path: Path, fetcher: Fetcher) -> None:
    missing = await fetcher.fetch((tmp_path / "nothing.rss").as_uri())
    assert missing.error and missing.error.startswith("cannot read file://")
    assert "No such file" in missing.error
    big = tmp_path / "big.rss"
    big.write_bytes(b"x" * 101)
    async with Fetcher(FetchConfig(max_bytes=100)) as small:
        result = await small.fetch(big.as_uri())
    assert result.error == "body larger than 100 bytes"


class _RawStream(httpx.AsyncByteStream):
    """A body handed over as the server sent it (httpx.Response(content=...) decodes it)."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._body


def _serving(body: bytes, encoding: str) -> httpx.MockTransport:
    headers = {"Content-Encoding": encoding}
    return httpx.MockTransport(
        lambda request: httpx.Response(200, headers=headers, stream=_RawStream(body))
    )


def _deflate(data: bytes, wbits: int) -> bytes:
    packer = zlib.compressobj(wbits=wbits)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", gzip.compress(SAMPLE_RSS)),
        ("x-gzip", gzip.compress(SAMPLE_RSS)),
        ("gzip", gzip.compress(SAMPLE_RSS[:100]) + gzip.compress(SAMPLE_RSS[100:])),  # 2 members
        ("deflate", _deflate(SAMPLE_RSS, zlib.MAX_WBITS)),
        ("deflate", _deflate(SAMPLE_RSS, -zlib.MAX_WBITS)),  # headerless, as some servers send
        ("identity", SAMPLE_RSS),
    ],
)
async def test_encoded_bodies_are_decoded(encoding: str, body: bytes) -> None:
    transport = _serving(body, encoding)
    async with Fetcher(FetchConfig(allow_private_addresses=True), transport=transport) as fetcher:
        result = await fetcher.fetch("http://feeds.example/rss")
    assert result.ok and result.body == SAMPLE_RSS


@pytest.mark.parametrize(
    ("encoding", "body", "error"),
    [
        ("br", b"\x0b\x02\x80", "unsupported Content-Encoding: br"),
        ("gzip", b"\x1f\x8bnot gzip at all", "cannot decompress the body: "),
    ],
)
async def test_bodies_that_cannot_be_decoded(encoding: str, body: bytes, error: str) -> None:
    transport = _serving(body, encoding)
    async with Fetcher(FetchConfig(allow_private_addresses=True), transport=transport) as fetcher:
        result = await fetcher.fetch("http://feeds.example/rss")
    assert result.error and result.error.startswith(error) and result.body is None
