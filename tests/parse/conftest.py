"""Feed documents for parse tests: edge cases in tests/data/feeds, real ones in the package."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

from bot.models import ParsedFeed
from bot.parse import parse_feed

FEEDS = Path(__file__).resolve().parent.parent / "data" / "feeds"


def sample_feed(name: str) -> bytes:
    """A feed shipped in bot/data/sample-feeds (real Indonesian articles)."""
    return resources.files("bot.data").joinpath("sample-feeds", name).read_bytes()


@pytest.fixture
def parse_file() -> Callable[[str], ParsedFeed]:
    def parse(name: str) -> ParsedFeed:
        return parse_feed((FEEDS / name).read_bytes(), url=f"https://feeds.example/{name}")

    return parse
