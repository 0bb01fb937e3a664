"""The bot's state at a glance (/status, the panel's front page): feeds working and failing,
what waits to be sent, the last poll, uptime, schedules and subscribers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import bot
from bot.services.base import Actor, Admins, Clock, Denied, utc_now
from bot.storage import Store


@dataclass
class Liveness:
    """When this process started and last finished a poll (set by the poll job)."""

    started_at: datetime = field(default_factory=utc_now)
    last_poll_at: datetime | None = None


@dataclass(frozen=True)
class StatusReport:
    feeds_ok: int
    feeds_failing: int
    pending: int  # deliveries waiting or being sent
    failed: int
    last_poll_at: datetime | None
    uptime: timedelta
    version: str
    schedules: int  # pending
    subscribers: int  # active


class StatusService:
    def __init__(
        self, store: Store, admins: Admins, liveness: Liveness, *, clock: Clock = utc_now
    ) -> None:
        self.store, self.admins, self.liveness, self.clock = store, admins, liveness, clock

    async def report(self, by: Actor) -> StatusReport | Denied:
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        feeds = [f for f in await asyncio.to_thread(self.store.feed_list) if f.enabled]
        counts = await asyncio.to_thread(self.store.delivery_counts)
        schedules = await asyncio.to_thread(self.store.pending_schedules)
        subscribers = await asyncio.to_thread(self.store.subscriber_count)
        return StatusReport(
            feeds_ok=sum(f.failures == 0 for f in feeds),
            feeds_failing=sum(f.failures > 0 for f in feeds),
            pending=sum(c.get("pending", 0) for c in counts.values()),
            failed=sum(c.get("failed", 0) for c in counts.values()),
            last_poll_at=self.liveness.last_poll_at,
            uptime=self.clock() - self.liveness.started_at,
            version=bot.__version__,
            schedules=len(schedules),
            subscribers=subscribers,
        )
