"""The services the scheduler, the CLI and the command handlers share."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from bot import i18n
from bot.analyse import load_taxonomy
from bot.deliver.pacer import Pacer
from bot.deliver.replies import ReplyQueue
from bot.deliver.sink import Sink
from bot.editorial.actions import Editorial
from bot.editorial.desk import ReviewDesk
from bot.fetch import Fetcher
from bot.fetch.discovery import Discovery, discover
from bot.format.listing import shown_url
from bot.http.metrics import Metrics
from bot.models import Post
from bot.notify import AdminNotifier
from bot.pipeline import Pipeline
from bot.pipeline.outbox import Outbox
from bot.ratelimit import CommandLimiter, Verdict
from bot.search import matching
from bot.settings import Config, FeedConfig
from bot.storage import Store
from bot.storage.bot_views import Broadcast, FeedListing, PublicPost

log = logging.getLogger(__name__)

MAX_LATEST = 10
ADMINS_TTL = 2.0  # seconds; another instance's change to the admins shows within this
SEARCH_SCOPE = 1000  # /cari looks through this many of the newest election posts


def all_feeds(config: Config, store: Store) -> list[FeedConfig]:
    """The config's feeds, then the ones admins added with /sumber tambah."""
    listed = {feed.url for feed in config.feeds}
    added = [
        FeedConfig(url=url, name=name) for url, name in store.admin_feeds() if url not in listed
    ]
    return [*config.feeds, *added]


TAKE_OVER = "sc:take"  # callback data prefix of the button that takes schedules over


def take_over_data(user_id: int) -> str:
    return f"{TAKE_OVER}:{user_id}"


def make_pacer(config: Config, clock: Callable[[], float] = time.monotonic) -> Pacer:
    limits = config.telegram
    return Pacer(
        clock=clock,
        global_per_second=limits.global_per_second,
        group_per_minute=limits.group_per_minute,
        chat_per_second=limits.chat_per_second,
        per_chat_in_groups=limits.chat_pace_in_groups,
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
    limiter: CommandLimiter = field(default_factory=CommandLimiter)
    replies: ReplyQueue = field(init=False)
    _admins: tuple[float, set[int]] | None = field(default=None, init=False, repr=False)
    _admins_lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.replies = ReplyQueue(self.sink, self.pacer)

    @classmethod
    def create(
        cls,
        config: Config,
        sink: Sink,
        *,
        pacer: Pacer | None = None,
        metrics: Metrics | None = None,
    ) -> Services:
        """Open the database (migrating it), load the taxonomy, and sync feeds and channels
        from the config; `metrics` is what the pipeline and the outbox count into."""
        store = Store(config.database)
        store.sync_feeds(all_feeds(config, store))
        store.sync_channels(config.channels)
        pacer = pacer or make_pacer(config)
        taxonomy = load_taxonomy(config.taxonomy)
        notifier = AdminNotifier(config, sink, pacer)
        pipeline = Pipeline(config, store, taxonomy=taxonomy, notifier=notifier, metrics=metrics)
        outbox = Outbox(config, store, sink, pacer, notifier, metrics)
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

    async def published(self, *, since: datetime | None = None, limit: int) -> list[PublicPost]:
        """What the public may see (bot.storage.public), newest first: every public reader
        (/terbaru, /cari, digests) goes through here."""
        return await asyncio.to_thread(self.store.published_posts, since=since, limit=limit)

    async def latest(self, count: int) -> list[PublicPost]:
        """The newest public election posts, oldest of them first (the newest ends up last)."""
        posts = await self.published(limit=min(max(count, 1), MAX_LATEST))
        return list(reversed(posts))

    def send_posts(self, chat_id: int | str, posts: list[PublicPost]) -> bool:
        """Queue stored posts for one chat, sent paced in the background (the caller does not
        wait); False when the chat already has too many waiting."""
        return self.replies.submit(
            chat_id, [Post(html=p.html, image=p.image, caption=p.caption) for p in posts]
        )

    def admit(self, user_id: int) -> Verdict:
        """Whether a command from this (non-admin) user is answered: bot.ratelimit."""
        return self.limiter.check(user_id)

    async def admin_ids(self) -> set[int]:
        """The config's admins and the ones admins added (read at most every ADMINS_TTL
        seconds: every update asks, and a flood must not queue a database read per message)."""
        async with self._admins_lock:  # one read for many concurrent asks
            now = time.monotonic()
            if self._admins is None or now - self._admins[0] > ADMINS_TTL:
                added = await asyncio.to_thread(self.store.added_admins)
                self._admins = (now, set(self.config.admins) | set(added))
            return set(self._admins[1])

    async def add_admin(self, user_id: int, *, by: int) -> bool:
        added = await asyncio.to_thread(self.store.add_admin, user_id, by=by, now=datetime.now(UTC))
        self.forget_admins()
        return added

    async def remove_admin(self, user_id: int) -> tuple[bool, list[int]]:
        """Remove an added admin and pause the schedules they set (they must not keep running
        in the name of someone who is no longer an admin): (removed, paused schedule ids).
        The remaining admins are told, with a button to take the schedules over."""
        removed = await asyncio.to_thread(self.store.remove_admin, user_id)
        self.forget_admins()
        if not removed:
            return False, []
        return True, await self.pause_schedules_of(user_id)

    async def pause_schedules_of(self, user_id: int) -> list[int]:
        """Pause the pending schedules `user_id` set and tell the admins, with a button to take
        them over; returns the paused ids."""
        paused = await asyncio.to_thread(self.store.pause_schedules_of, user_id)
        if not paused:
            return []
        log.info("schedules paused user_id=%s broadcasts=%s", user_id, paused)
        text = i18n.text(
            "admin_removed_schedules",
            self.config.language,
            id=user_id,
            count=len(paused),
            ids=", ".join(f"#{b}" for b in paused[:50]) + (" …" if len(paused) > 50 else ""),
        )
        label = i18n.text("button_take_over", self.config.language)
        await self.notifier.send(Post(html=text, buttons=((label, take_over_data(user_id)),)))
        return paused

    async def pause_orphan_schedules(self) -> list[int]:
        """At start: schedules set by someone no longer an admin (taken out of the config, or
        removed by another instance) are paused like those of a removed admin."""
        admins = await self.admin_ids()
        pending = await asyncio.to_thread(self.store.pending_schedules)
        paused: list[int] = []
        for user_id in sorted({b.draft.created_by for b in pending} - admins):
            paused += await self.pause_schedules_of(user_id)
        return paused

    async def take_over_schedules(
        self, from_user: int, *, by: int, by_name: str | None
    ) -> list[Broadcast]:
        """A removed admin's paused schedules run again in the name of the admin `by`."""
        return await asyncio.to_thread(
            self.store.take_over_schedules, from_user, by=by, by_name=by_name
        )

    def forget_admins(self) -> None:
        """After an admin was added or removed here: read the list again at the next ask."""
        self._admins = None

    async def is_admin(self, user_id: int) -> bool:
        return user_id in await self.admin_ids()

    def topics(self) -> dict[str, str]:
        """The analyse stage's topics a subscriber may follow: name -> label."""
        return {name: topic.label for name, topic in self.pipeline.taxonomy.topics.items()}

    async def resync_feeds(self) -> None:
        """After an admin added or removed a feed: the config's plus the admins' feeds."""
        await asyncio.to_thread(lambda: self.store.sync_feeds(all_feeds(self.config, self.store)))

    async def listed_feeds(self, *, admin: bool) -> list[FeedListing]:
        """The feeds, their URLs as the audience may see them (bot.format.listing.shown_url):
        never credentials; for the public no query either, for admins its values masked."""
        feeds = await asyncio.to_thread(self.store.feed_list)
        return [
            replace(
                feed,
                url=shown_url(feed.url, admin=admin),
                name=feed.name if feed.name != feed.url else None,
            )
            for feed in feeds
        ]

    async def check_feed(self, url: str) -> Discovery:
        """What to follow for ``url``: the feed itself, a feed the site announces or keeps in
        a usual place, or else its news sitemap (each fetched and parsed once first)."""
        async with Fetcher(self.config.fetch) as fetcher:
            found = await discover(url, fetcher)
        log.info(
            "source checked url=%s found=%s follow=%s requests=%s",
            shown_url(url, admin=True),
            found.found,
            shown_url(found.url, admin=True),
            len(found.tried),
        )
        return found

    async def search(self, query: str) -> list[PublicPost]:
        """Recent election posts containing every word of the query (by stem), newest first."""
        posts = await self.published(limit=SEARCH_SCOPE)
        return await asyncio.to_thread(matching, posts, query)

    def close(self) -> None:
        self.store.close()

    async def aclose(self) -> None:
        """Stop the background senders, then close the store."""
        await self.replies.close()
        self.close()
