"""Sending deliveries: one job at a time to its final outcome (`Sender`), or a batch per chat
in order, across chats concurrently, paced (`send_all`)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace

from bot.deliver.pacer import Pacer
from bot.deliver.sink import Sink
from bot.models import DeliveryJob, SendOutcome

logger = logging.getLogger(__name__)

OnOutcome = Callable[[DeliveryJob, SendOutcome], Awaitable[None]]
OnTry = Callable[[DeliveryJob, SendOutcome], Awaitable[None]]
_MAX_MIGRATIONS = 3  # a chat that keeps "migrating" is a loop, not a migration
_SHARED_429_WINDOW = 1.0  # 429s in two chats this close together mean the global limit


@dataclass
class DispatchReport:
    """Counts of final outcomes (a migrated job also counts its resend), 429s and skips."""

    sent: int = 0
    retry: int = 0
    failed: int = 0
    channel_gone: int = 0
    migrated: int = 0
    rate_limited: int = 0  # 429 answers seen; each was retried, none is a failure
    skipped: int = 0  # jobs not tried because their chat went away; they stay pending
    plain_text_fallback: int = 0
    elapsed: float = 0.0
    skipped_ids: list[int] = field(default_factory=list)

    def count(self, outcome: SendOutcome) -> None:
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        self.plain_text_fallback += outcome.plain_text_fallback

    def summary(self) -> str:
        """The counts as stable log keys."""
        return (
            f"sent={self.sent} retry={self.retry} failed={self.failed} "
            f"channel_gone={self.channel_gone} migrated={self.migrated} "
            f"rate_limited={self.rate_limited} skipped={self.skipped} "
            f"plain_text={self.plain_text_fallback} elapsed={self.elapsed:.2f}"
        )


async def send_all(
    jobs: Sequence[DeliveryJob],
    sink: Sink,
    pacer: Pacer,
    on_outcome: OnOutcome,
    *,
    max_in_flight: int = 8,
    transient_retries: int = 2,
    backoff: float = 0.5,
    max_rate_limit_wait: float = 300.0,
) -> DispatchReport:
    """Send every job, oldest first within each chat, and report each final outcome.

    Chats are served concurrently (up to ``max_in_flight`` sends in flight: with 50-300 ms
    round trips, one send at a time cannot reach 30/s); within a chat, one send at a time in
    order. A 429 pauses the chat (every chat when two chats hit one together) and retries the
    same job, until its 429 waits would pass ``max_rate_limit_wait`` seconds; then it is
    reported as ``retry``. ``channel_gone`` skips the rest of that chat's jobs. ``migrated`` is
    reported, then the job and the rest of its chat go to the new chat id.
    An exception from ``on_outcome`` stops the dispatch and propagates.
    """
    started = time.monotonic()
    report = DispatchReport()
    lanes: dict[int | str, list[DeliveryJob]] = {}
    for job in jobs:
        lanes.setdefault(job.chat_id, []).append(job)
    dispatcher = Sender(
        sink,
        pacer,
        on_outcome,
        report,
        asyncio.Semaphore(max_in_flight),
        transient_retries,
        backoff,
        max_rate_limit_wait,
    )
    try:
        async with asyncio.TaskGroup() as group:
            for lane in lanes.values():
                group.create_task(dispatcher.run_lane(lane))
    except BaseExceptionGroup as errors:
        raise errors.exceptions[0] from None
    report.elapsed = time.monotonic() - started
    logger.info("dispatch_done jobs=%d chats=%d %s", len(jobs), len(lanes), report.summary())
    return report


@dataclass
class Sender:
    """Sends one job to its final outcome: paced, 429s waited out, quick transient retries,
    migrations followed. ``on_outcome`` gets each final outcome (and each migration hop);
    ``on_try`` gets the tries retried here (429s, transient errors), for the delivery log."""

    sink: Sink
    pacer: Pacer
    on_outcome: OnOutcome
    report: DispatchReport
    in_flight: asyncio.Semaphore
    transient_retries: int = 2
    backoff: float = 0.5
    max_rate_limit_wait: float = 300.0
    on_try: OnTry | None = None
    last_429: dict[int | str, float] = field(default_factory=dict)

    async def run_lane(self, jobs: list[DeliveryJob]) -> None:
        target = jobs[0].chat_id
        for index, job in enumerate(jobs):
            outcome, target = await self.deliver(replace(job, chat_id=target))
            if outcome.status == "channel_gone":
                rest = jobs[index + 1 :]
                self.report.skipped += len(rest)
                self.report.skipped_ids.extend(j.delivery_id for j in rest)
                logger.warning(
                    "channel_gone chat_id=%s skipped=%d error=%s", target, len(rest), outcome.error
                )
                return

    async def deliver(self, job: DeliveryJob) -> tuple[SendOutcome, int | str]:
        """Send one job to its final outcome, following migrations; returns the chat it ends in."""
        for _ in range(_MAX_MIGRATIONS):
            outcome = await self.attempt(job)
            await self.settle(job, outcome)
            if outcome.status != "migrated" or outcome.new_chat_id is None:
                return outcome, job.chat_id
            logger.info("chat_migrated old=%s new=%s", job.chat_id, outcome.new_chat_id)
            job = replace(job, chat_id=outcome.new_chat_id)
        return outcome, job.chat_id

    async def settle(self, job: DeliveryJob, outcome: SendOutcome) -> None:
        self.report.count(outcome)
        await self.on_outcome(job, outcome)

    async def attempt(self, job: DeliveryJob) -> SendOutcome:
        """Send until an outcome that is not a 429 nor a transient error within its retries."""
        transient, waited = 0, 0.0
        while True:
            outcome = await self.send_once(job)
            if outcome.rate_limited:
                self.report.rate_limited += 1
                pause = outcome.retry_after or 1.0
                if waited + pause > self.max_rate_limit_wait:
                    return outcome
                waited += pause
                self.block(job.chat_id, pause)
            elif outcome.status == "retry" and transient < self.transient_retries:
                await self.tried(job, outcome)
                await asyncio.sleep(self.backoff * 2**transient)
                transient += 1
                continue
            else:
                return outcome
            await self.tried(job, outcome)

    async def tried(self, job: DeliveryJob, outcome: SendOutcome) -> None:
        if self.on_try is not None:
            await self.on_try(job, outcome)

    async def send_once(self, job: DeliveryJob) -> SendOutcome:
        # Wait for the chat's turn before taking an in-flight slot, so a chat waiting out its
        # own pacing does not hold a slot another chat could use.
        delay = self.pacer.delay_until_ready(job.chat_id, self.pacer.clock())
        if delay > 0:
            await asyncio.sleep(delay)
        async with self.in_flight, self.pacer.sending(job.chat_id) as send:
            try:
                outcome = await self.sink.send(job.chat_id, job.post)
            except Exception as exc:  # a sink bug must not lose the batch: keep the job pending
                logger.exception(
                    "sink_error chat_id=%s delivery_id=%s", job.chat_id, job.delivery_id
                )
                return SendOutcome(status="retry", error=f"{type(exc).__name__}: {exc}")
            # Telegram does not count a send it refused with a 429.
            self.pacer.answered(send, refused=outcome.rate_limited)
            return outcome

    def block(self, chat_id: int | str, seconds: float) -> None:
        now = self.pacer.clock()
        shared = any(
            other != chat_id and now - when < _SHARED_429_WINDOW
            for other, when in self.last_429.items()
        )
        self.last_429[chat_id] = now
        logger.info(
            "rate_limited chat_id=%s retry_after=%.1f all_chats=%s", chat_id, seconds, shared
        )
        self.pacer.block(seconds, None if shared else chat_id)
