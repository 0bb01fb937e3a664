"""Delivering the outbox: send what is pending, commit each outcome as it happens.

`Outbox.deliver` is one pass (what `poll --once` and the demo wait for); `DeliveryWorker` is the
long-lived task of `humasbot run` that makes passes whenever there is something to send.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from bot.deliver.dispatch import DispatchReport, send_all
from bot.deliver.pacer import Pacer
from bot.deliver.sink import Sink
from bot.models import DeliveryJob, SendOutcome
from bot.notify import AdminNotifier
from bot.settings import Config
from bot.storage import Store

log = logging.getLogger(__name__)


class Outbox:
    def __init__(
        self, config: Config, store: Store, sink: Sink, pacer: Pacer, notifier: AdminNotifier
    ) -> None:
        self.config, self.store, self.sink, self.pacer = config, store, sink, pacer
        self.notifier = notifier
        self._lock = asyncio.Lock()

    async def deliver(self) -> DispatchReport:
        """Send every pending delivery once (oldest post first), committing each outcome."""
        async with self._lock:
            jobs = await asyncio.to_thread(self.store.pending_jobs)
            return await send_all(
                jobs,
                self.sink,
                self.pacer,
                self._record,
                max_in_flight=self.config.telegram.max_in_flight,
            )

    async def _record(self, job: DeliveryJob, outcome: SendOutcome) -> None:
        if outcome.status == "channel_gone":
            reason = outcome.error or "channel gone"
            if await asyncio.to_thread(self.store.deactivate_channel, job.chat_id, reason):
                log.warning("channel deactivated chat_id=%s reason=%s", job.chat_id, reason)
                await self.notifier.notify("admin_channel_gone", chat=job.chat_id, reason=reason)
        elif outcome.status == "migrated" and outcome.new_chat_id is not None:
            await asyncio.to_thread(self.store.migrate_channel, job.chat_id, outcome.new_chat_id)
        status = await asyncio.to_thread(
            self.store.record_outcome,
            job,
            outcome,
            now=datetime.now(UTC),
            max_attempts=self.config.telegram.max_attempts,
        )
        if status == "failed":
            log.error(
                "delivery failed delivery_id=%s chat_id=%s error=%s",
                job.delivery_id,
                job.chat_id,
                outcome.error,
            )


class DeliveryWorker:
    """A long-lived task that sends pending deliveries whenever there are any: at start
    (what a previous run left pending), after each poll that queued posts, and every
    `retry_every` seconds for transient failures."""

    def __init__(self, outbox: Outbox, retry_every: float) -> None:
        self.outbox, self.retry_every = outbox, retry_every
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="delivery-worker")

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self.outbox.deliver()
            except Exception:
                log.exception("delivery pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.retry_every)
