"""Feeds: the list anyone may see, and what admins do to it (/sumber tambah|hapus|status)."""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

from bot.fetch import Fetcher
from bot.fetch.discovery import Discovery, discover
from bot.format.listing import shown_url
from bot.services.base import Actor, Admins, Audit, Clock, Denied, utc_now
from bot.settings import FeedConfig, FetchConfig
from bot.storage import Store
from bot.storage.feeds import FeedListing

log = logging.getLogger(__name__)

Discover = Callable[[str], Awaitable[Discovery]]


class FeedRefusal(enum.Enum):
    BAD_URL = "bad_url"  # not http(s)
    NOT_REMOVABLE = "not_removable"  # unknown, or from the config


@dataclass(frozen=True)
class SourceUnusable:
    """Nothing to follow at the address: why (None when the site simply offers no feed)."""

    url: str
    error: str | None


@dataclass(frozen=True)
class SourceAdded:
    """A feed an admin asked for: `added` False when it was followed already."""

    added: bool
    url: str  # what is followed (the feed found, maybe not the address given)
    title: str
    found: str  # how: feed, discovered or sitemap (bot.fetch.discovery)


@dataclass(frozen=True)
class SourceRemoved:
    url: str


def all_feeds(configured: Sequence[FeedConfig], store: Store) -> list[FeedConfig]:
    """The config's feeds, then the ones admins added with /sumber tambah."""
    listed = {feed.url for feed in configured}
    added = [
        FeedConfig(url=url, name=name) for url, name in store.admin_feeds() if url not in listed
    ]
    return [*configured, *added]


class FeedService:
    def __init__(
        self,
        store: Store,
        configured: Sequence[FeedConfig],
        fetch: FetchConfig,
        admins: Admins,
        audit: Audit,
        *,
        clock: Clock = utc_now,
    ) -> None:
        self.store, self.configured, self.fetch = store, list(configured), fetch
        self.admins, self.audit, self.clock = admins, audit, clock

    async def listed(self, *, admin: bool) -> list[FeedListing]:
        """The feeds followed, their URLs as the audience may see them
        (bot.format.listing.shown_url): never credentials; for the public no query either, for
        admins its values masked. Switched-off feeds are not listed."""
        feeds = await asyncio.to_thread(self.store.feed_list)
        return [
            replace(
                feed,
                url=shown_url(feed.url, admin=admin),
                name=feed.name if feed.name != feed.url else None,
            )
            for feed in feeds
            if feed.enabled
        ]

    async def health(self, by: Actor) -> list[FeedListing] | Denied:
        """Each feed's health record (the bot side of `humasbot feeds`)."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        return await asyncio.to_thread(self.store.feed_list)

    async def check(self, url: str) -> Discovery:
        """What to follow for ``url``: the feed itself, a feed the site announces or keeps in
        a usual place, or else its news sitemap (each fetched and parsed once first)."""
        async with Fetcher(self.fetch) as fetcher:
            found = await discover(url, fetcher)
        log.info(
            "source checked url=%s found=%s follow=%s requests=%s",
            shown_url(url, admin=True),
            found.found,
            shown_url(found.url, admin=True),
            len(found.tried),
        )
        return found

    async def add(self, url: str, by: Actor) -> SourceAdded | SourceUnusable | FeedRefusal | Denied:
        """Follow the feed at (or found from) `url`, checked first."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        if not url.lower().startswith(("http://", "https://")):
            return FeedRefusal.BAD_URL
        found = await self.check(url)
        if not found.usable:
            return SourceUnusable(url, found.error)
        title = found.title or found.url
        added = await asyncio.to_thread(
            self.store.add_admin_feed, found.url, title, by=by.user_id, now=self.clock()
        )
        if added:
            await self.resync()
            await self.audit.record(by, "source_add", found.url)
        return SourceAdded(added, found.url, title, found.found)

    async def remove(self, feed_id: int, by: Actor) -> SourceRemoved | FeedRefusal | Denied:
        """Stop following a feed an admin added (the config's stay)."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        url = await asyncio.to_thread(self.store.remove_admin_feed, feed_id)
        if url is None:
            return FeedRefusal.NOT_REMOVABLE
        await self.resync()
        await self.audit.record(by, "source_remove", url)
        return SourceRemoved(url)

    async def resync(self) -> None:
        """After an admin added or removed a feed: the config's plus the admins' feeds."""
        await asyncio.to_thread(
            lambda: self.store.sync_feeds(all_feeds(self.configured, self.store))
        )
