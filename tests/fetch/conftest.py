"""Fixtures for fetch tests: a real feed server on 127.0.0.1 and fetchers configured for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from bot.fetch import Fetcher
from bot.settings import FetchConfig
from tests.fakes.feed_server import SAMPLE_RSS, FeedServer


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        running.set("/feed.rss", SAMPLE_RSS)
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
