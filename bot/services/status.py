"""The bot's state at a glance: /status (feeds working and failing, what waits to be sent, the
last poll, uptime, schedules and subscribers) and the overview on the panel's front page (posts
per day, deliveries by outcome, the outbox, failing feeds, the next schedules, pauses in force).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import bot
from bot.editorial.pause import Pause
from bot.services.base import Actor, Admins, Clock, Denied, utc_now
from bot.storage import Store
from bot.storage.broadcasts import Broadcast
from bot.storage.feeds import FeedListing

DAYS = 14  # posts per day over this many days, by default
POSTS_READ = 5000  # published posts read for them at most (14 days of a busy desk)
SCHEDULES = 5  # the next schedules shown, by default


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


@dataclass(frozen=True)
class Overview:
    posts_per_day: list[tuple[date, int]]  # local days, oldest first, today last
    outcomes: dict[str, int]  # deliveries by status; "sending" counts as "pending"
    pending: int  # the outbox: deliveries waiting or being sent
    failed: int
    failing_feeds: list[FeedListing]  # failing, or gone (410)
    schedules: list[Broadcast]  # the next pending ones, soonest first
    pauses: list[Pause]  # in force


def per_day(
    times: list[datetime], today: date, zone: ZoneInfo, days: int
) -> list[tuple[date, int]]:
    """(day, count) for each of the last `days` local days, oldest first, today last."""
    counts = Counter(t.astimezone(zone).date() for t in times)
    wanted = [today - timedelta(days=back) for back in range(days - 1, -1, -1)]
    return [(day, counts.get(day, 0)) for day in wanted]


def outcome_totals(by_chat: dict[str, dict[str, int]]) -> dict[str, int]:
    """Deliveries by status over every chat; one being sent is still pending."""
    totals: Counter[str] = Counter()
    for statuses in by_chat.values():
        for status, count in statuses.items():
            totals["pending" if status == "sending" else status] += count
    return dict(totals)


class StatusService:
    def __init__(
        self,
        store: Store,
        admins: Admins,
        liveness: Liveness,
        *,
        timezone: str = "Asia/Jakarta",
        clock: Clock = utc_now,
    ) -> None:
        self.store, self.admins, self.liveness, self.clock = store, admins, liveness, clock
        self.zone = ZoneInfo(timezone)

    async def report(self, by: Actor) -> StatusReport | Denied:
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        feeds = [f for f in await asyncio.to_thread(self.store.feed_list) if f.enabled]
        totals = outcome_totals(await asyncio.to_thread(self.store.delivery_counts))
        schedules = await asyncio.to_thread(self.store.pending_schedules)
        subscribers = await asyncio.to_thread(self.store.subscriber_count)
        return StatusReport(
            feeds_ok=sum(f.failures == 0 for f in feeds),
            feeds_failing=sum(f.failures > 0 for f in feeds),
            pending=totals.get("pending", 0),
            failed=totals.get("failed", 0),
            last_poll_at=self.liveness.last_poll_at,
            uptime=self.clock() - self.liveness.started_at,
            version=bot.__version__,
            schedules=len(schedules),
            subscribers=subscribers,
        )

    async def overview(
        self, by: Actor, *, days: int = DAYS, schedules: int = SCHEDULES
    ) -> Overview | Denied:
        """The front page's figures: posts published on each of the last `days` days (in the
        configured timezone), the deliveries by outcome, the outbox, the feeds failing or gone,
        the next `schedules` schedules and the pauses in force."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        now = self.clock()
        posts = await asyncio.to_thread(
            self.store.published_posts, since=now - timedelta(days=days), limit=POSTS_READ
        )
        totals = outcome_totals(await asyncio.to_thread(self.store.delivery_counts))
        feeds = await asyncio.to_thread(self.store.feed_list)
        pending = await asyncio.to_thread(self.store.pending_schedules)
        pending.sort(key=lambda b: b.draft.run_at or now)
        today = now.astimezone(self.zone).date()
        return Overview(
            posts_per_day=per_day([p.time for p in posts], today, self.zone, days),
            outcomes=totals,
            pending=await asyncio.to_thread(self.store.outbox_pending),
            failed=totals.get("failed", 0),
            failing_feeds=[f for f in feeds if f.status not in ("ok", "disabled")],
            schedules=pending[:schedules],
            pauses=await asyncio.to_thread(self.store.active_pauses, now),
        )
