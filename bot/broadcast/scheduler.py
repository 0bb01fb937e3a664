"""Running broadcasts: at once after ✅ Kirim, or at their time through the JobQueue.

The database is the source of truth: at start every pending schedule is read back and
registered again; a run found overdue is sent late (with a note) within the grace period, else
marked missed and its admin told. Every run is a compare-and-set in the store, so a schedule
never fires twice, whoever calls `fire`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot import i18n
from bot.broadcast.dates import format_when
from bot.broadcast.digest import digest_html, digest_period
from bot.broadcast.when import next_run
from bot.models import Post
from bot.storage.broadcasts import Broadcast

if TYPE_CHECKING:
    from telegram.ext import JobQueue

    from bot.services import Services

log = logging.getLogger(__name__)

LATE_NOTE_AFTER = timedelta(minutes=1)  # later than this, a run carries a note


def job_name(broadcast_id: int) -> str:
    return f"broadcast:{broadcast_id}"


class BroadcastScheduler:
    def __init__(
        self, services: Services, job_queue: JobQueue[Any], on_queued: Callable[[], None]
    ) -> None:
        self.services, self.job_queue, self.on_queued = services, job_queue, on_queued
        self.grace = services.config.schedule_grace
        self._tasks: set[asyncio.Task[None]] = set()
        # Of several instances, only the holder of the scheduler role fires schedules (see
        # bot.roles); the others leave them to it. One process alone is always active.
        self.active = True
        self._arranged: dict[int, datetime] = {}  # broadcast id -> the run registered

    async def restore(self) -> int:
        """Register every pending schedule from the database (after pausing those of people no
        longer admins); returns how many."""
        await self.services.pause_orphan_schedules()
        pending = await asyncio.to_thread(self.services.store.pending_schedules)
        for broadcast in pending:
            self.arrange(broadcast)
        log.info("schedules restored count=%s", len(pending))
        return len(pending)

    async def activate(self) -> None:
        """This instance fires schedules from now on (it took the scheduler role)."""
        self.active = True
        await self.restore()

    async def deactivate(self) -> None:
        """Another instance fires them: forget every registered run (not the schedules)."""
        self.active = False
        for broadcast_id in list(self._arranged):
            self.forget(broadcast_id)

    async def sync(self) -> None:
        """Register the schedules set or moved since the last look (by another instance too)."""
        pending = await asyncio.to_thread(self.services.store.pending_schedules)
        for broadcast in pending:
            if self._arranged.get(broadcast.id) != broadcast.draft.run_at:
                self.arrange(broadcast)

    def arrange(self, broadcast: Broadcast) -> None:
        """Run an overdue schedule now; register a future one with the job queue."""
        run_at = broadcast.draft.run_at
        if run_at is None or not self.active:
            return
        self.forget(broadcast.id)
        self._arranged[broadcast.id] = run_at
        if run_at <= datetime.now(UTC):
            task = asyncio.create_task(self.fire(broadcast.id, run_at))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return
        self.job_queue.run_once(
            self._job,
            when=run_at,
            data=(broadcast.id, run_at),
            name=job_name(broadcast.id),
            # APScheduler skips a job more than misfire_grace_time late (1 s by default) with
            # only a log line; ours decides late runs itself, with the configured grace.
            job_kwargs={"misfire_grace_time": int(self.grace.total_seconds()) + 1},
        )

    def forget(self, broadcast_id: int) -> None:
        self._arranged.pop(broadcast_id, None)
        for job in self.job_queue.get_jobs_by_name(job_name(broadcast_id)):
            job.schedule_removal()

    async def _job(self, context: Any) -> None:
        broadcast_id, run_at = context.job.data
        await self.fire(broadcast_id, run_at)

    async def send_now(self, broadcast: Broadcast) -> int | None:
        """A confirmed /siarkan: queue its deliveries at once."""
        return await self._queue(broadcast, expected=None, now=datetime.now(UTC), note=None)

    async def fire(self, broadcast_id: int, expected: datetime) -> None:
        store = self.services.store
        broadcast = await asyncio.to_thread(store.get_broadcast, broadcast_id)
        if broadcast is None or broadcast.status != "pending" or broadcast.draft.run_at != expected:
            return
        draft, now = broadcast.draft, datetime.now(UTC)
        upcoming = next_run(expected, draft.repeat, draft.timezone, now)
        when = format_when(expected, draft.timezone, self.services.config.language)
        if now - expected > self.grace:
            skipped = await asyncio.to_thread(
                store.skip_run, broadcast_id, expected_run_at=expected, next_run_at=upcoming
            )
            if skipped:
                log.warning("schedule missed broadcast_id=%s run_at=%s", broadcast_id, expected)
                await self._tell(draft.created_by, "schedule_missed", id=broadcast_id, when=when)
        else:
            note = when if now - expected > LATE_NOTE_AFTER else None
            queued = await self._queue(broadcast, expected=expected, now=now, note=note)
            if queued is not None and note:
                await self._tell(draft.created_by, "schedule_sent_late", id=broadcast_id, when=when)
        if upcoming:
            refreshed = await asyncio.to_thread(store.get_broadcast, broadcast_id)
            if refreshed and refreshed.status == "pending":
                self.arrange(refreshed)

    async def _queue(
        self, broadcast: Broadcast, *, expected: datetime | None, now: datetime, note: str | None
    ) -> int | None:
        draft, language = broadcast.draft, self.services.config.language
        html = draft.html
        if draft.content == "digest":
            html = await self.digest(draft.repeat, now)
        if note:
            html += "\n\n" + i18n.text("late_note", language, when=note)
        upcoming = next_run(expected, draft.repeat, draft.timezone, now) if expected else None
        queued = await asyncio.to_thread(
            self.services.store.run_broadcast,
            broadcast.id,
            expected_run_at=expected,
            html=html,
            image=draft.image,
            now=now,
            next_run_at=upcoming,
        )
        if queued is not None:
            log.info("broadcast queued broadcast_id=%s deliveries=%s", broadcast.id, queued)
            self.on_queued()
        return queued

    async def digest(self, repeat: str, now: datetime) -> str:
        since = now - digest_period(repeat)
        posts = await self.services.published(since=since, limit=50)
        config = self.services.config
        return digest_html(
            posts, repeat=repeat, now=now, zone=config.timezone, language=config.language
        )

    async def _tell(self, user_id: int, key: str, **fields: Any) -> None:
        """Tell the admin who set the schedule, in private; the admin chat when that fails."""
        services = self.services
        text = i18n.text(key, services.config.language, **fields)
        await services.pacer.acquire(user_id)
        outcome = await services.sink.send(user_id, Post(html=text))
        if outcome.status != "sent":
            await services.notifier.notify(key, **fields)
