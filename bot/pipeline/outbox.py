"""Delivering the outbox: claim a few rows at a time, send them, commit each outcome as it happens.

`Outbox.deliver` sends everything that is due now and returns (what `poll --once` and the demo
wait for); `DeliveryWorker` is the long-lived task of `humasbot run` that calls it at start,
whenever a poll queued posts, and when a backoff runs out. Several processes may deliver from
one database at once: claims are atomic, and each channel's posts go one at a time, in order.

Under `humasbot run` only the holder of the ``sender`` lease delivers (bot.roles). Its claims
name the lease's generation (`Outbox.lease`), so that a new holder puts the rows of a dead one
back at once (`take_over`); and no send starts once the lease may have run out (`Outbox.fence`),
so that those rows are not in the old holder's hands any more.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.deliver.claims import new_worker_token, worker_is_dead
from bot.deliver.dispatch import DispatchReport, Sender
from bot.deliver.pacer import Pacer
from bot.deliver.sink import Sink
from bot.deliver.telegram import TelegramSink
from bot.editorial.caps import next_slot
from bot.editorial.pause import holding
from bot.http.metrics import Metrics
from bot.models import DeliveryJob, Post, SendOutcome
from bot.notify import AdminNotifier
from bot.settings import Config, TelegramConfig
from bot.storage import Store
from bot.storage.deliveries import Hold

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=15)
_FAILURE_REASON = {
    "retry": "transient",
    "failed": "rejected",
    "channel_gone": "channel_gone",
    "migrated": "migrated",
}


def _now() -> datetime:
    return datetime.now(UTC)


def _always() -> bool:
    return True


class FencedSink:
    """A sink that starts a send only while `fence()` holds: past it, the send waits, to be
    cancelled when the role is lost, or to go on if the lease was renewed late."""

    def __init__(self, sink: Sink, fence: Callable[[], bool], check_every: float = 0.1) -> None:
        self.sink, self.fence, self.check_every = sink, fence, check_every

    async def send(self, chat_id: int | str, post: Post) -> SendOutcome:
        while not self.fence():  # noqa: ASYNC110 (a deadline passing sets no event)
            await asyncio.sleep(self.check_every)
        return await self.sink.send(chat_id, post)

    async def delete(self, chat_id: int | str, message_id: int) -> str | None:
        return await self.sink.delete(chat_id, message_id)

    async def edit(
        self, chat_id: int | str, message_id: int, html: str, *, caption: bool
    ) -> str | None:
        return await self.sink.edit(chat_id, message_id, html, caption=caption)


def broadcast_sink(sink: Sink, telegram: TelegramConfig) -> Sink:
    """Channel broadcasts are paid (1000/s) when configured; replies and notices never are."""
    if telegram.allow_paid_broadcast and isinstance(sink, TelegramSink):
        return sink.for_broadcast(paid=True)
    return sink


class Outbox:
    quick_retries = 2  # transient failures retried at once within a pass, before a backoff
    quick_backoff = 0.5  # seconds before the first quick retry; doubles

    def __init__(
        self,
        config: Config,
        store: Store,
        sink: Sink,
        pacer: Pacer,
        notifier: AdminNotifier,
        metrics: Metrics | None = None,
    ) -> None:
        self.config, self.store, self.pacer = config, store, pacer
        self.metrics = metrics or Metrics()
        self.sink = broadcast_sink(sink, config.telegram)
        self.notifier = notifier
        self.worker = new_worker_token()
        self.clock = _now  # replaceable in tests
        self.lease: int | None = None  # the sender lease's generation while held (bot.roles)
        self.fence: Callable[[], bool] = _always  # False once that lease may have run out
        self.caps = {str(c.chat_id): c.caps() for c in config.channels}
        self._lock = asyncio.Lock()
        self._pacer_seeded = False

    @property
    def limits(self) -> TelegramConfig:
        return self.config.telegram

    async def deliver(self) -> DispatchReport:
        """Send every delivery that is due (oldest post first per channel), committing each
        outcome; rows a dead worker left half-sent go out again first."""
        async with self._lock:
            if not self._pacer_seeded:
                await self.seed_pacer()
            await asyncio.to_thread(self.recover)
            return await self._drain()

    async def seed_pacer(self) -> int:
        """Let the pacer count what the delivery log says went out within its longest window
        (before a restart), so the first pass draws no 429."""
        now = self.clock()
        since = now - timedelta(seconds=self.pacer.longest_window)
        sends = await asyncio.to_thread(self.store.recent_send_log, since)
        self._pacer_seeded = True  # once: seeding again would count the same sends twice
        taken = self.pacer.seed(sends, now=now)
        if taken:
            log.info("pacer_seeded sends=%d", taken)
        return taken

    async def take_over(self, lease: int) -> int:
        """This instance now holds generation `lease` of the sender lease: the rows an earlier
        holder claimed go back to pending at once (it stopped sending before its lease ran out),
        and the pacer counts what it sent."""
        self.lease = lease
        released = await asyncio.to_thread(
            self.store.release_superseded_claims, lease, now=self.clock()
        )
        if released:
            log.warning("outbox_recovered rows=%d (claimed by an earlier sender)", released)
        await self.seed_pacer()
        return released

    def recover(self) -> int:
        """Rows claimed by a worker that died (killed, crashed) go back to pending."""
        lease = self.limits.claim_lease

        def dead(token: str, idle: timedelta) -> bool:
            return worker_is_dead(token, idle, lease=lease, me=self.worker)

        released = self.store.release_claims(now=self.clock(), dead=dead)
        if released:
            log.warning("outbox_recovered rows=%d (in flight when their worker died)", released)
        return released

    async def _drain(self) -> DispatchReport:
        report, started = DispatchReport(), time.monotonic()
        sender = Sender(
            FencedSink(self.sink, self.fence),
            self.pacer,
            self._record,
            report,
            asyncio.Semaphore(self.limits.max_in_flight),
            transient_retries=self.quick_retries,
            backoff=self.quick_backoff,
            on_try=self._log_try,
        )
        size = self.limits.claim_size
        low_water = size // 2
        tasks: set[asyncio.Task[object]] = set()
        heartbeat = asyncio.create_task(self._heartbeat())
        try:
            exhausted = False
            while True:
                if not exhausted and len(tasks) <= low_water:
                    jobs = await asyncio.to_thread(self._claim, size - len(tasks))
                    exhausted = not jobs  # nothing more until a send ends and frees its channel
                    tasks.update(asyncio.create_task(sender.deliver(job)) for job in jobs)
                if not tasks:
                    break
                done, tasks = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()
                exhausted = False
        finally:
            for task in (*tasks, heartbeat):
                task.cancel()
            await asyncio.gather(*tasks, heartbeat, return_exceptions=True)
            # Whatever this worker still holds (an error or a stop cut it short) is pending again.
            self.store.release_claims(now=self.clock(), worker=self.worker)
        report.elapsed = time.monotonic() - started
        if report.sent or report.retry or report.failed or report.channel_gone:
            log.info("outbox_pass %s", report.summary())
        return report

    def _claim(self, limit: int) -> list[DeliveryJob]:
        """Claim what is due, leaving out what a pause holds; rows over a channel's caps or in
        its quiet hours go back with the time they may go."""
        while self.fence():
            now = self.clock()
            hold = self._hold(now)
            jobs = self.store.claim_jobs(
                self.worker, now=now, limit=limit, hold=hold, lease=self.lease
            )
            if not jobs:
                return []
            admitted = [j for j in jobs if j.broadcast or self._fits(j, now)]
            if admitted:
                return admitted
        return []

    def _hold(self, now: datetime) -> Hold:
        held = holding(self.store.active_pauses(now), now)  # the one pause rule
        return Hold(everywhere=True) if held is None else Hold(chats=held)

    def _fits(self, job: DeliveryJob, now: datetime) -> bool:
        caps = self.caps.get(str(job.chat_id))
        if caps is None or caps.unlimited:
            return True
        # A day's cap counts from local midnight: 25 hours of sends cover any local day.
        sent = self.store.recent_sends(job.chat_id, now - timedelta(hours=25))
        slot = next_slot(now, sent, caps, self.config.tz)
        if slot <= now:
            return True
        when = slot.astimezone(self.config.tz).strftime("%Y-%m-%d %H.%M %Z")
        reason = f"ditahan oleh batas kiriman atau jam tenang sampai {when}"
        self.store.hold_claimed(job, until=slot, reason=reason, now=now)
        log.info(
            "delivery held delivery_id=%s chat_id=%s until=%s", job.delivery_id, job.chat_id, when
        )
        return False

    async def _heartbeat(self) -> None:
        every = self.limits.claim_lease.total_seconds() / 3
        while True:
            await asyncio.sleep(every)
            await asyncio.to_thread(self.store.renew_claims, self.worker, now=self.clock())

    def backoff(self, attempts: int) -> timedelta:
        return min(self.limits.retry_backoff * 2 ** max(attempts - 1, 0), MAX_BACKOFF)

    async def _log_try(self, job: DeliveryJob, outcome: SendOutcome) -> None:
        self._count(job, outcome)
        await asyncio.to_thread(
            self.store.log_attempt, job, outcome, now=self.clock(), worker=self.worker
        )

    def _count(self, job: DeliveryJob, outcome: SendOutcome) -> None:
        """Metrics of one try; 429s are counted where every Bot API answer passes."""
        if outcome.plain_text_fallback:
            self.metrics.send_failures.labels("html_rejected").inc()
        if outcome.status == "sent":
            self.metrics.delivered(job.meta.get("found_at"), self.clock())
        elif not outcome.rate_limited:
            self.metrics.send_failures.labels(_FAILURE_REASON[outcome.status]).inc()

    async def _record(self, job: DeliveryJob, outcome: SendOutcome) -> None:
        self._count(job, outcome)
        if outcome.status == "channel_gone":
            reason = outcome.error or "channel gone"
            if await asyncio.to_thread(self.store.deactivate_channel, job.chat_id, reason):
                log.warning("channel deactivated chat_id=%s reason=%s", job.chat_id, reason)
                # A subscriber who blocked the bot simply left; only agency channels concern admins.
                kind = await asyncio.to_thread(self.store.channel_kind, job.chat_id)
                if kind == "channel":
                    await self.notifier.notify(
                        "admin_channel_gone", chat=job.chat_id, reason=reason
                    )
        elif outcome.status == "migrated" and outcome.new_chat_id is not None:
            await asyncio.to_thread(self.store.migrate_channel, job.chat_id, outcome.new_chat_id)
        status = await asyncio.to_thread(
            self.store.record_outcome,
            job,
            outcome,
            now=self.clock(),
            max_attempts=self.limits.max_attempts,
            backoff=self.backoff,
            worker=self.worker,
        )
        if status == "failed":
            log.error(
                "delivery failed delivery_id=%s chat_id=%s error=%s",
                job.delivery_id,
                job.chat_id,
                outcome.error,
            )
        elif outcome.plain_text_fallback:
            log.warning(
                "delivery sent as plain text delivery_id=%s chat_id=%s item_id=%s",
                job.delivery_id,
                job.chat_id,
                job.meta.get("item_id"),
            )

    async def seconds_until_due(self, ceiling: float) -> float:
        """How long the worker may sleep before a row waiting out a backoff is due."""
        now = self.clock()
        due = await asyncio.to_thread(self.store.next_attempt_due, now)
        if due is None:
            return ceiling
        return min(ceiling, max(0.05, (due - now).total_seconds()))

    async def prune_log(self) -> int:
        before = self.clock() - self.limits.delivery_log_keep
        return await asyncio.to_thread(self.store.prune_delivery_log, before)


class DeliveryWorker:
    """A long-lived task that sends deliveries whenever some are due: at start (what a previous
    run left pending or half-sent), when woken after a poll queued posts, when a backoff runs
    out, and at least every `retry_every` seconds (posts queued by another process)."""

    PRUNE_EVERY = 3600.0

    def __init__(self, outbox: Outbox, retry_every: float) -> None:
        self.outbox, self.retry_every = outbox, retry_every
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._pruned_at = -self.PRUNE_EVERY

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
                await self._prune()
                pause = await self.outbox.seconds_until_due(self.retry_every)
            except Exception:
                log.exception("delivery pass failed")
                pause = self.retry_every
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=pause)

    async def _prune(self) -> None:
        if time.monotonic() - self._pruned_at >= self.PRUNE_EVERY:
            self._pruned_at = time.monotonic()
            if pruned := await self.outbox.prune_log():
                log.info("delivery_log_pruned rows=%d", pruned)
