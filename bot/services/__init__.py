"""The service layer: every use case the bot's handlers, the CLI and the web panel share.

One module per family, each service built with only what it uses:

- `feeds`: the feeds followed; admins add, remove and check them
- `channels`: the channels posted to, who may post where, and the bot's admins
- `broadcasts`: admin broadcasts and schedules, drafts to runs
- `editorial`: review decisions, retractions, corrections, pauses
- `reviews`: the review desk (announcements, pages, expiry)
- `subscriptions`: readers' chats subscribing to posts
- `search`: what the public reads (latest, search)
- `status`: the state at a glance

Every rule and every audit record lives in a service; services return plain values
(dataclasses, enums for refusals). `Services` below is the composition root.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from bot.analyse import load_taxonomy
from bot.deliver.pacer import Pacer
from bot.deliver.replies import ReplyQueue
from bot.deliver.sink import Sink
from bot.http.metrics import Metrics
from bot.notify import AdminNotifier
from bot.pipeline import Pipeline
from bot.pipeline.outbox import Outbox
from bot.ratelimit import CommandLimiter, Verdict
from bot.services.base import Actor, Admins, Audit, ChatProbe, Denied, NoProbe, Wakeup
from bot.services.broadcasts import TAKE_OVER, BroadcastService
from bot.services.channels import ChannelService
from bot.services.editorial import EditorialService
from bot.services.feeds import FeedService, all_feeds
from bot.services.reviews import ReviewDesk
from bot.services.search import SearchService
from bot.services.status import Liveness, StatusService
from bot.services.subscriptions import SubscriptionService
from bot.settings import Config
from bot.storage import Store

__all__ = ["TAKE_OVER", "Actor", "Denied", "Services", "make_pacer"]


def make_pacer(config: Config, clock: Callable[[], float] = time.monotonic) -> Pacer:
    limits = config.telegram
    return Pacer(
        clock=clock,
        global_per_second=limits.global_per_second,
        group_per_minute=limits.group_per_minute,
        chat_per_second=limits.chat_per_second,
        per_chat_in_groups=limits.chat_pace_in_groups,
    )


class Services:
    """The infrastructure (store, sink, pacer, pipeline, outbox, notifier) and the services
    built on it, each given what it uses. `wakeup` is the one delivery wake-up signal."""

    def __init__(
        self,
        config: Config,
        store: Store,
        sink: Sink,
        pacer: Pacer,
        pipeline: Pipeline,
        outbox: Outbox,
        notifier: AdminNotifier,
        *,
        probe: ChatProbe | None = None,
    ) -> None:
        self.config, self.store, self.sink, self.pacer = config, store, sink, pacer
        self.pipeline, self.outbox, self.notifier = pipeline, outbox, notifier
        self.wakeup = Wakeup()
        self.limiter = CommandLimiter()
        self.replies = ReplyQueue(sink, pacer)
        self.liveness = Liveness()
        self.admins = Admins(store, config.admins)
        self.audit = Audit(store)
        probe = probe or NoProbe()
        language, zone = config.language, config.timezone
        self.search = SearchService(store, self.replies)
        self.feeds = FeedService(store, config.feeds, config.fetch, self.admins, self.audit)
        self.broadcasts = BroadcastService(
            store,
            self.admins,
            self.audit,
            self.wakeup,
            self.search,
            notifier,
            sink,
            pacer,
            language=language,
            timezone=zone,
            grace=config.schedule_grace,
        )
        self.channels = ChannelService(
            store, self.admins, self.audit, self.wakeup, self.broadcasts, probe
        )
        self.editorial = EditorialService(
            store,
            sink,
            pacer,
            self.admins,
            self.audit,
            self.wakeup,
            language=language,
            timezone=zone,
        )
        self.reviews = ReviewDesk(
            store, notifier, language=language, expire_after=config.review.expire_after
        )
        topics = {name: topic.label for name, topic in pipeline.taxonomy.topics.items()}
        self.subscriptions = SubscriptionService(store, topics, self.admins, probe)
        self.status = StatusService(store, self.admins, self.liveness)

    @classmethod
    def create(
        cls,
        config: Config,
        sink: Sink,
        *,
        pacer: Pacer | None = None,
        metrics: Metrics | None = None,
        probe: ChatProbe | None = None,
    ) -> Services:
        """Open the database (migrating it), load the taxonomy, and sync feeds and channels
        from the config; `metrics` is what the pipeline and the outbox count into, `probe`
        asks Telegram about chats (none without a bot)."""
        store = Store(config.database)
        store.sync_feeds(all_feeds(config.feeds, store))
        store.sync_channels(config.channels)
        pacer = pacer or make_pacer(config)
        taxonomy = load_taxonomy(config.taxonomy)
        notifier = AdminNotifier(config, sink, pacer)
        pipeline = Pipeline(config, store, taxonomy=taxonomy, notifier=notifier, metrics=metrics)
        outbox = Outbox(config, store, sink, pacer, notifier, metrics)
        return cls(config, store, sink, pacer, pipeline, outbox, notifier, probe=probe)

    # --- what the app and the handlers ask of the whole ---------------------------------

    @property
    def started_at(self) -> datetime:
        return self.liveness.started_at

    @property
    def last_poll_at(self) -> datetime | None:
        return self.liveness.last_poll_at

    @last_poll_at.setter
    def last_poll_at(self, value: datetime | None) -> None:
        self.liveness.last_poll_at = value

    async def after_poll(self) -> None:
        """What follows every poll: expire forgotten reviews, show admins the new ones."""
        await self.reviews.expire()
        await self.reviews.announce()

    def admit(self, user_id: int) -> Verdict:
        """Whether a command from this (non-admin) user is answered: bot.ratelimit."""
        return self.limiter.check(user_id)

    async def admin_ids(self) -> set[int]:
        return await self.admins.ids()

    async def is_admin(self, user_id: int) -> bool:
        return await self.admins.allows(Actor(user_id))

    def close(self) -> None:
        self.store.close()

    async def aclose(self) -> None:
        """Stop the background senders, then close the store."""
        await self.replies.close()
        self.close()
