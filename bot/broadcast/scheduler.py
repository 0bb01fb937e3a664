"""When broadcasts run: the JobQueue side of schedules. What a run does is
bot.services.broadcasts (`fire`); this only keeps time.

The database is the source of truth: at start every pending schedule is read back and
registered again; a run found overdue is fired at once (the service decides whether it is sent
late or missed).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.storage.broadcasts import Broadcast

if TYPE_CHECKING:
    from telegram.ext import JobQueue

    from bot.services.broadcasts import BroadcastService

log = logging.getLogger(__name__)


def job_name(broadcast_id: int) -> str:
    return f"broadcast:{broadcast_id}"


class BroadcastScheduler:
    def __init__(self, broadcasts: BroadcastService, job_queue: JobQueue[Any]) -> None:
        self.broadcasts, self.job_queue = broadcasts, job_queue
        self.grace = broadcasts.grace
        self._tasks: set[asyncio.Task[None]] = set()
        # Of several instances, only the holder of the scheduler role fires schedules (see
        # bot.roles); the others leave them to it. One process alone is always active.
        self.active = True
        self._arranged: dict[int, datetime] = {}  # broadcast id -> the run registered

    async def restore(self) -> int:
        """Register every pending schedule from the database (after pausing those of people no
        longer admins); returns how many."""
        await self.broadcasts.pause_orphan_schedules()
        pending = await self.broadcasts.pending_schedules()
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
        for broadcast in await self.broadcasts.pending_schedules():
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

    async def fire(self, broadcast_id: int, expected: datetime) -> None:
        again = await self.broadcasts.fire(broadcast_id, expected)
        if again is not None:
            self.arrange(again)
