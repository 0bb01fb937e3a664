"""Find what to follow on a site: its feed, or else its news sitemap.

Given any address of a site (a page, or a feed itself), :func:`discover` tries, in order:

1. the address itself, when it is a feed or a sitemap;
2. the feeds the page announces (``<link rel="alternate">``);
3. the usual feed places (``/feed/``, ``/rss``, ``/feed.xml``, ``?feed=rss2``, ...);
4. the sitemaps robots.txt names, then the usual sitemap places; a sitemap index is followed
   to its news (or newest) sitemap.

Every request goes through the :class:`~bot.fetch.Fetcher` given, so each has its timeouts,
size cap, redirect limit, content-type check and address guard; at most ``max_requests`` are
made. Only http(s) addresses are followed (a page cannot send the bot to ``file://``). What
each candidate is, is decided by the parse stage (:func:`bot.parse.parse_feed`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

from bot.fetch.fetcher import Fetcher
from bot.models import FetchResult, ParsedFeed
from bot.parse import parse_feed
from bot.parse.discovery import (
    alternate_feeds,
    preferred_sitemaps,
    site_root,
    sitemap_places,
    usual_feed_places,
)
from bot.parse.links import is_web_url
from bot.parse.sitemap import is_sitemap, sitemap_children

log = logging.getLogger(__name__)

MAX_REQUESTS = 16
MAX_CHILD_SITEMAPS = 3

Found = Literal["feed", "discovered", "sitemap", "none"]


@dataclass(frozen=True, slots=True)
class Discovery:
    """What a site offers. ``found``: ``feed`` (the address given is a feed), ``discovered``
    (a feed found from it), ``sitemap`` (no feed; its sitemap is followed), ``none``."""

    found: Found
    url: str  # the address to follow (the one given when nothing was found)
    title: str | None = None  # the feed's title, else the site's host
    error: str | None = None  # when nothing was found: why the address given is not usable
    tried: tuple[str, ...] = field(default=(), compare=False)

    @property
    def usable(self) -> bool:
        return self.found != "none"


class _Search:
    def __init__(self, fetcher: Fetcher, now: datetime, max_requests: int) -> None:
        self.fetcher, self.now, self.budget = fetcher, now, max_requests
        self.tried: list[str] = []

    async def get(self, url: str) -> FetchResult | None:
        if not is_web_url(url) or url in self.tried or len(self.tried) >= self.budget:
            return None
        self.tried.append(url)
        result = await self.fetcher.fetch(url)
        return result if result.ok else None

    async def parsed(self, result: FetchResult) -> ParsedFeed:
        assert result.body is not None
        return await asyncio.to_thread(
            parse_feed,
            result.body,
            url=result.final_url or result.url,
            content_type=result.content_type,
            now=self.now,
        )

    async def feed(self, url: str) -> tuple[str, ParsedFeed] | None:
        """The address and parse of a usable feed (not a sitemap) at ``url``."""
        result = await self.get(url)
        if result is None or result.body is None or is_sitemap(result.body):
            return None
        parsed = await self.parsed(result)
        return None if parsed.error else (result.final_url or url, parsed)

    async def sitemap(self, url: str, depth: int = 0) -> tuple[str, ParsedFeed] | None:
        """A sitemap with items at ``url``, an index followed to its best sitemaps."""
        result = await self.get(url)
        if result is None or result.body is None or not is_sitemap(result.body):
            return None
        children = sitemap_children(result.body)
        if children and depth == 0:
            for child in preferred_sitemaps(children)[:MAX_CHILD_SITEMAPS]:
                if found := await self.sitemap(child, depth + 1):
                    return found
            return None
        parsed = await self.parsed(result)
        return None if parsed.error or not parsed.items else (result.final_url or url, parsed)


async def discover(
    url: str,
    fetcher: Fetcher,
    *,
    now: datetime | None = None,
    max_requests: int = MAX_REQUESTS,
) -> Discovery:
    """What to follow for the site at ``url`` (see the module's rules)."""
    search = _Search(fetcher, now or datetime.now(UTC), max_requests)
    search.tried.append(url)
    first = await fetcher.fetch(url)
    if not first.ok or first.body is None:
        failed = first.error or f"HTTP {first.status}"
        return Discovery("none", url, error=failed, tried=tuple(search.tried))
    page_url = first.final_url or url
    given = await search.parsed(first)
    if not given.error:
        kind: Found = "sitemap" if is_sitemap(first.body) else "feed"
        return Discovery(kind, url, _title((url, given)), tried=tuple(search.tried))
    if is_sitemap(first.body) and (found := await _index(search, first.body)):
        return Discovery("sitemap", found[0], _title(found), tried=tuple(search.tried))
    for candidate in [*alternate_feeds(first.body, page_url), *usual_feed_places(page_url)]:
        if found := await search.feed(candidate):
            return Discovery("discovered", found[0], _title(found), tried=tuple(search.tried))
    robots = await search.get(urljoin(site_root(page_url), "robots.txt"))
    for candidate in sitemap_places(page_url, robots.body if robots else None):
        if found := await search.sitemap(candidate):
            return Discovery("sitemap", found[0], _title(found), tried=tuple(search.tried))
    log.info("discovery found nothing url=%s tried=%s", url, len(search.tried))
    # a page is not a feed and says nothing more; a broken feed says what is wrong with it
    error = None if _is_page(first.body) else given.error
    return Discovery("none", url, error=error, tried=tuple(search.tried))


def _is_page(body: bytes) -> bool:
    head = body[:4096].lower()
    return b"<html" in head or b"<!doctype html" in head


def _title(found: tuple[str, ParsedFeed]) -> str:
    """The feed's title; a sitemap has none, so its site's name (host) stands for it."""
    return found[1].title or urlsplit(found[0]).hostname or found[0]


async def _index(search: _Search, body: bytes) -> tuple[str, ParsedFeed] | None:
    """The address given was a sitemap index: its best sitemap with items."""
    for child in preferred_sitemaps(sitemap_children(body))[:MAX_CHILD_SITEMAPS]:
        if found := await search.sitemap(child, depth=1):
            return found
    return None
