"""The services the scheduler, the CLI and the command handlers share."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bot.analyse import load_taxonomy
from bot.deliver.pacer import Pacer
from bot.deliver.sink import Sink
from bot.models import Post
from bot.notify import AdminNotifier
from bot.pipeline import Pipeline
from bot.pipeline.outbox import Outbox
from bot.settings import Config
from bot.storage import Store
from bot.storage.views import StoredPost

log = logging.getLogger(__name__)

MAX_LATEST = 10


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

    @classmethod
    def create(cls, config: Config, sink: Sink, *, pacer: Pacer | None = None) -> Services:
        """Open the database (migrating it), load the taxonomy, and sync feeds and channels
        from the config."""
        store = Store(config.database)
        store.sync_feeds(config.feeds)
        store.sync_channels(config.channels)
        pacer = pacer or make_pacer(config)
        taxonomy = load_taxonomy(config.taxonomy)
        notifier = AdminNotifier(config, sink, pacer)
        pipeline = Pipeline(config, store, taxonomy=taxonomy, notifier=notifier)
        outbox = Outbox(config, store, sink, pacer, notifier)
        return cls(config, store, sink, pacer, pipeline, outbox, notifier)

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

    def close(self) -> None:
        self.store.close()
