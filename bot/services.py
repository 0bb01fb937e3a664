"""The services the scheduler, the CLI and the command handlers share."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.analyse import load_taxonomy
from bot.deliver.pacer import Pacer
from bot.deliver.sink import Sink
from bot.editorial.actions import Editorial
from bot.editorial.desk import ReviewDesk
from bot.fetch import Fetcher
from bot.fetch.discovery import Discovery, discover
from bot.models import Post
from bot.notify import AdminNotifier
from bot.pipeline import Pipeline
from bot.pipeline.outbox import Outbox
from bot.search import matching
from bot.settings import Config, FeedConfig
from bot.storage import Store
from bot.storage.bot_views import PostText
from bot.storage.views import StoredPost

log = logging.getLogger(__name__)

MAX_LATEST = 10
SEARCH_SCOPE = 1000  # /cari looks through this many of the newest election posts


def all_feeds(config: Config, store: Store) -> list[FeedConfig]:
    """The config's feeds, then the ones admins added with /sumber tambah."""
    listed = {feed.url for feed in config.feeds}
    added = [
        FeedConfig(url=url, name=name) for url, name in store.admin_feeds() if url not in listed
    ]
    return [*config.feeds, *added]


def make_pacer(config: Config) -> Pacer:
    limits = config.telegram
    return Pacer(
        global_per_second=limits.global_per_second,
        group_per_minute=limits.group_per_minute,
        chat_per_second=limits.chat_per_second,
    )


@dataclass
class Services:
    config: Config
    store: Store
    sink: Sink
    pacer: Pacer
    pipeline: Pipeline
    outbox: Outbox
    notifier: AdminNotifier
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    last_poll_at: datetime | None = None
    # Wakes the delivery worker (set by the app once it runs): a publish or resume goes out now.
    wake_delivery: Callable[[], None] = lambda: None

    @classmethod
    def create(cls, config: Config, sink: Sink, *, pacer: Pacer | None = None) -> Services:
        """Open the database (migrating it), load the taxonomy, and sync feeds and channels
        from the config."""
        store = Store(config.database)
        store.sync_feeds(all_feeds(config, store))
        store.sync_channels(config.channels)
        pacer = pacer or make_pacer(config)
        taxonomy = load_taxonomy(config.taxonomy)
        notifier = AdminNotifier(config, sink, pacer)
        pipeline = Pipeline(config, store, taxonomy=taxonomy, notifier=notifier)
        outbox = Outbox(config, store, sink, pacer, notifier)
        return cls(config, store, sink, pacer, pipeline, outbox, notifier)

    @functools.cached_property
    def editorial(self) -> Editorial:
        return Editorial(self)

    @functools.cached_property
    def reviews(self) -> ReviewDesk:
        return ReviewDesk(self.config, self.store, self.notifier)

    async def after_poll(self) -> None:
        """What follows every poll: expire forgotten reviews, show admins the new ones."""
        await self.reviews.expire()
        await self.reviews.announce()

    async def latest(self, count: int) -> list[StoredPost]:
        """The newest election posts, oldest of them first (so the newest ends up last)."""
        posts = await asyncio.to_thread(self.store.latest_posts, min(max(count, 1), MAX_LATEST))
        return list(reversed(posts))

    async def send_posts(self, chat_id: int | str, posts: list[StoredPost]) -> int:
        """Send stored posts to one chat, paced like every other send; returns how many went."""
        sent = 0
        for stored in posts:
            await self.pacer.acquire(chat_id)
            post = Post(html=stored.html, image=stored.image, caption=stored.caption)
            outcome = await self.sink.send(chat_id, post)
            if outcome.rate_limited and outcome.retry_after:
                self.pacer.block(outcome.retry_after, chat_id)
                await self.pacer.acquire(chat_id)
                outcome = await self.sink.send(chat_id, post)
            if outcome.status != "sent":
                log.warning("reply failed chat_id=%s error=%s", chat_id, outcome.error)
                break
            sent += 1
        return sent

    async def admin_ids(self) -> set[int]:
        """The config's admins and the ones admins added."""
        added = await asyncio.to_thread(self.store.added_admins)
        return set(self.config.admins) | set(added)

    async def is_admin(self, user_id: int) -> bool:
        return user_id in await self.admin_ids()

    def topics(self) -> dict[str, str]:
        """The analyse stage's topics a subscriber may follow: name -> label."""
        return {name: topic.label for name, topic in self.pipeline.taxonomy.topics.items()}

    async def resync_feeds(self) -> None:
        """After an admin added or removed a feed: the config's plus the admins' feeds."""
        await asyncio.to_thread(lambda: self.store.sync_feeds(all_feeds(self.config, self.store)))

    async def check_feed(self, url: str) -> Discovery:
        """What to follow for ``url``: the feed itself, a feed the site announces or keeps in
        a usual place, or else its news sitemap (each fetched and parsed once first)."""
        async with Fetcher(self.config.fetch) as fetcher:
            found = await discover(url, fetcher)
        log.info(
            "source checked url=%s found=%s follow=%s requests=%s",
            url,
            found.found,
            found.url,
            len(found.tried),
        )
        return found

    async def search(self, query: str) -> list[PostText]:
        """Recent election posts containing every word of the query (by stem), newest first."""
        posts = await asyncio.to_thread(self.store.election_posts, limit=SEARCH_SCOPE)
        return await asyncio.to_thread(matching, posts, query)

    def close(self) -> None:
        self.store.close()
