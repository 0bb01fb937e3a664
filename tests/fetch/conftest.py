"""Fixtures for fetch tests: a real feed server on 127.0.0.1 and fetchers configured for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from bot.fetch import Fetcher
from bot.settings import FetchConfig
from tests.fakes.feed_server import FeedServer

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Berita</title><link>https://berita.example/</link>
<item><title>KPU tetapkan jadwal</title><link>https://berita.example/1</link>
<guid>https://berita.example/1</guid><description>Isi berita.</description></item>
</channel></rss>
"""


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        running.set("/feed.rss", RSS)
        yield running


@pytest.fixture
async def make_fetcher() -> AsyncIterator[Callable[..., Fetcher]]:
    """Fetchers for the local server (private addresses allowed unless a test says otherwise)."""
    made: list[Fetcher] = []

    def make(**overrides: Any) -> Fetcher:
        settings: dict[str, Any] = {"allow_private_addresses": True, "timeout": 5.0}
        fetcher = Fetcher(FetchConfig(**{**settings, **overrides}))
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        await fetcher.aclose()


@pytest.fixture
def fetcher(make_fetcher: Callable[..., Fetcher]) -> Fetcher:
    return make_fetcher()
