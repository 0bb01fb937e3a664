"""The outbox: one row per (channel, item), written before any send, claimed by one worker at a
time, updated after each send, with every outcome in the delivery log.

The log itself (its entries, the pacer's view of it, pruning) is bot.storage.delivery_log.

A row is ``pending`` -> ``sending`` (claimed: ``claim_token`` names the worker) -> ``sent`` or
``failed``, or back to ``pending`` (transient failure with ``next_attempt_at``, 429, channel gone,
or a claim released because its worker died). Claims take only the head of each channel's queue
(its oldest unsent post), so a channel gets its posts in publication order whichever process sends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, func, not_, or_, select, true, update
from sqlalchemy.orm import Session

from bot.models import DeliveryJob, Post, SendOutcome
from bot.storage.base import BROADCAST_FEED_URL, HasSession, rowcount, write_session
from bot.storage.clock import lease_clock
from bot.storage.delivery_log import chat_id_value, delivery_event, outcome_name
from bot.storage.retry import retrying
from bot.storage.schema import ChannelRow, DeliveryRow, FeedRow, ItemRow

_OPEN = ("pending", "sending")

Backoff = Callable[[int], timedelta]  # attempts so far -> wait before the next one
IsDead = Callable[[str, timedelta], bool]  # claim token, time since its last renewal -> gone


def _sort_time() -> ColumnElement[datetime]:
    return func.coalesce(ItemRow.published_at, ItemRow.first_seen_at)


def _post(delivery: DeliveryRow, item: ItemRow) -> Post:
    """The channel's own rendering when it has one, else the item's post."""
    if delivery.post_html:
        return Post(html=delivery.post_html, image=item.image, caption=delivery.post_caption)
    return Post(html=item.post_html or "", image=item.image, caption=item.post_caption)


def _job(delivery: DeliveryRow, chat_id: str, item: ItemRow) -> DeliveryJob:
    return DeliveryJob(
        delivery_id=delivery.id,
        chat_id=chat_id_value(chat_id),
        post=_post(delivery, item),
        attempts=delivery.attempts,
        broadcast=item.is_broadcast,
        meta={
            "item_id": str(item.id),
            "feed_id": str(item.feed_id),
            "found_at": item.first_seen_at.isoformat(),  # for the delivery latency metric
        },
    )


def _jobs_query() -> Select[DeliveryRow, str, ItemRow]:
    return (
        select(DeliveryRow, ChannelRow.chat_id, ItemRow)
        .join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id)
        .join(ItemRow, ItemRow.id == DeliveryRow.item_id)
    )


@dataclass(frozen=True, slots=True)
class Hold:
    """Automatic (feed) posts held back by a pause: to every chat, or to these chats. Admin
    broadcasts are never held."""

    everywhere: bool = False
    chats: frozenset[str] = frozenset()

    def condition(self) -> ColumnElement[bool]:
        if not self.everywhere and not self.chats:
            return true()
        held = true() if self.everywhere else ChannelRow.chat_id.in_(self.chats)
        return or_(ItemRow.is_broadcast.is_(True), not_(held))


def _claimable(now: datetime, limit: int, hold: Hold) -> Select[int]:
    """Ids of the rows that may be claimed now: each active channel's oldest open row, when it
    is pending (not being sent by anyone) and due, oldest post first. Rows a pause holds are
    left out of the queue, so they hold nothing else back; so are rows caps hold until later."""
    sort_time = _sort_time()
    order = (sort_time, ItemRow.id, DeliveryRow.id)
    queue = (
        select(
            DeliveryRow.id,
            DeliveryRow.status,
            DeliveryRow.next_attempt_at,
            sort_time.label("sort_time"),
            ItemRow.id.label("item_id"),
            func.row_number()
            .over(partition_by=DeliveryRow.channel_id, order_by=order)
            .label("place"),
        )
        .join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id)
        .join(ItemRow, ItemRow.id == DeliveryRow.item_id)
        .where(
            DeliveryRow.status.in_(_OPEN),
            ChannelRow.active.is_(True),
            hold.condition(),
            or_(DeliveryRow.held_until.is_(None), DeliveryRow.held_until <= now),
        )
        .subquery()
    )
    return (
        select(queue.c.id)
        .where(
            queue.c.place == 1,
            queue.c.status == "pending",
            or_(queue.c.next_attempt_at.is_(None), queue.c.next_attempt_at <= now),
        )
        .order_by(queue.c.sort_time, queue.c.item_id, queue.c.id)
        .limit(limit)
    )


class DeliveryQueries:
    def pending_jobs(self: HasSession, limit: int | None = None) -> list[DeliveryJob]:
        """Pending deliveries to active channels, oldest post first (a read-only listing)."""
        query = (
            _jobs_query()
            .where(DeliveryRow.status == "pending", ChannelRow.active.is_(True))
            .order_by(_sort_time(), ItemRow.id, DeliveryRow.id)
            .limit(limit)
        )
        with self.session() as session:
            return [_job(d, chat_id, item) for d, chat_id, item in session.execute(query)]

    @retrying
    def claim_jobs(
        self: HasSession,
        worker: str,
        *,
        now: datetime,
        limit: int,
        hold: Hold | None = None,
        lease: int | None = None,
    ) -> list[DeliveryJob]:
        """Atomically mark up to `limit` claimable rows as being sent by `worker`; return them,
        oldest post first. Two workers never get the same row: on PostgreSQL the rows are locked
        first (FOR UPDATE SKIP LOCKED: a row another worker is claiming is passed over, and one
        it claimed meanwhile is no longer pending); SQLite runs the whole claim under its write
        lock. The claim is a lease, on the lease clock (bot.storage.clock): renewed while the
        worker lives (renew_claims), released to the pool when it stops renewing
        (release_claims), or at once when a newer holder of the sender lease than `lease` (the
        generation it is claimed under) starts sending (release_superseded_claims)."""
        with write_session(self) as session:
            clock = lease_clock(session, now)
            free = (
                select(DeliveryRow.id)
                .where(
                    DeliveryRow.id.in_(_claimable(now, limit, hold or Hold())),
                    DeliveryRow.status == "pending",
                )
                .with_for_update(skip_locked=True)
            )
            ids = session.scalars(free).all()
            if not ids:
                return []
            claimed = session.scalars(
                update(DeliveryRow)
                .where(DeliveryRow.id.in_(ids), DeliveryRow.status == "pending")
                .values(status="sending", claim_token=worker, claimed_at=clock, claim_lease=lease)
                .returning(DeliveryRow.id)
            ).all()
            if not claimed:
                return []
            query = (
                _jobs_query()
                .where(DeliveryRow.id.in_(claimed))
                .order_by(_sort_time(), ItemRow.id, DeliveryRow.id)
            )
            return [_job(d, chat_id, item) for d, chat_id, item in session.execute(query)]

    @retrying
    def hold_claimed(
        self: HasSession, job: DeliveryJob, *, until: datetime, reason: str, now: datetime
    ) -> None:
        """Give a claimed row back, not to be sent before `until` (caps, quiet hours); logged."""
        with write_session(self) as session:
            row = session.get_one(DeliveryRow, job.delivery_id)
            row.status, row.claim_token, row.claimed_at = "pending", None, None
            row.claim_lease = None
            row.next_attempt_at = row.held_until = until
            session.add(delivery_event(row, job.chat_id, "held", now, error=reason))

    def broadcast_feed_id(self: HasSession) -> int | None:
        with self.session() as session:
            return session.scalar(select(FeedRow.id).where(FeedRow.url == BROADCAST_FEED_URL))

    @retrying
    def renew_claims(self: HasSession, worker: str, *, now: datetime) -> int:
        """A live worker's heartbeat: its claims are not stale."""
        with write_session(self) as session:
            clock = lease_clock(session, now)
            return rowcount(
                session.execute(
                    update(DeliveryRow)
                    .where(DeliveryRow.claim_token == worker, DeliveryRow.status == "sending")
                    .values(claimed_at=clock)
                )
            )

    @retrying
    def release_claims(
        self: HasSession, *, now: datetime, worker: str | None = None, dead: IsDead | None = None
    ) -> int:
        """Put rows being sent back to pending: `worker`'s own (it stops), or those whose worker
        `dead` says is gone, given how long ago it last renewed them on the lease clock (a
        crash: they go out again at once). Each one is logged."""
        with write_session(self) as session:
            clock = lease_clock(session, now)
            query = select(DeliveryRow.claim_token, func.max(DeliveryRow.claimed_at)).where(
                DeliveryRow.status == "sending"
            )
            tokens = [
                token
                for token, claimed_at in session.execute(query.group_by(DeliveryRow.claim_token))
                if token == worker
                or (dead is not None and dead(token or "", clock - (claimed_at or clock)))
            ]
            if not tokens:
                return 0
            died = DeliveryRow.claim_token.in_(tokens)
            return _requeue(session, died, now, lambda row: row.claim_token == worker)

    @retrying
    def release_superseded_claims(self: HasSession, lease: int, *, now: datetime) -> int:
        """Put back to pending the rows claimed under an older generation of the sender lease
        than `lease`, the one the caller now holds: their sender has stopped sending (bot.roles
        steps down before its lease can be taken), so they need not wait out a claim lease.
        Rows claimed outside the role (``poll --once``) are left to release_claims."""
        with write_session(self) as session:
            older = DeliveryRow.claim_lease < lease
            return _requeue(session, older, now, lambda _row: False, "sender replaced")

    @retrying
    def record_outcome(
        self: HasSession,
        job: DeliveryJob,
        outcome: SendOutcome,
        *,
        now: datetime,
        max_attempts: int,
        backoff: Backoff | None = None,
        worker: str | None = None,
    ) -> str:
        """Commit what happened to one send, with its log entry; returns the row's status now.

        A 429 is not an attempt: the row waits `retry_after`. A transient failure is, and waits
        `backoff(attempts)` until `max_attempts` makes it failed. channel_gone leaves the row
        pending (its channel is inactive until re-enabled); migrated leaves it being sent.
        """
        with write_session(self) as session:
            row = session.get_one(DeliveryRow, job.delivery_id)
            if row.status != "sent":  # a late answer never undoes a confirmed send
                _apply(row, outcome, now, max_attempts, backoff)
            session.add(
                delivery_event(
                    row,
                    job.chat_id,
                    outcome_name(outcome),
                    now,
                    error=outcome.error,
                    message_id=outcome.message_id,
                    worker=worker,
                )
            )
            return row.status

    @retrying
    def log_attempt(
        self: HasSession, job: DeliveryJob, outcome: SendOutcome, *, now: datetime, worker: str
    ) -> None:
        """Log a try the sender retries itself (a 429 waited out, a quick transient retry)."""
        with write_session(self) as session:
            row = session.get_one(DeliveryRow, job.delivery_id)
            row.rate_limited += outcome.rate_limited
            row.last_error = outcome.error
            session.add(
                delivery_event(
                    row, job.chat_id, outcome_name(outcome), now, error=outcome.error, worker=worker
                )
            )

    def next_attempt_due(self: HasSession, now: datetime) -> datetime | None:
        """The earliest time a pending row now waiting out a backoff becomes due."""
        query = (
            select(func.min(DeliveryRow.next_attempt_at))
            .join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id)
            .where(
                DeliveryRow.status == "pending",
                ChannelRow.active.is_(True),
                DeliveryRow.next_attempt_at > now,
            )
        )
        with self.session() as session:
            value = session.scalar(query)
        return value

    def outbox_pending(self: HasSession) -> int:
        """Deliveries waiting or being sent, over every channel."""
        query = select(func.count()).where(DeliveryRow.status.in_(("pending", "sending")))
        with self.session() as session:
            return int(session.scalar(query) or 0)

    def delivery_counts(self: HasSession) -> dict[str, dict[str, int]]:
        """Per chat: how many deliveries are in each status."""
        query = (
            select(ChannelRow.chat_id, DeliveryRow.status, func.count())
            .join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id)
            .group_by(ChannelRow.chat_id, DeliveryRow.status)
        )
        counts: dict[str, dict[str, int]] = {}
        with self.session() as session:
            for chat_id, status, count in session.execute(query):
                counts.setdefault(chat_id, {})[status] = count
        return counts


def _requeue(
    session: Session,
    which: ColumnElement[bool],
    now: datetime,
    stopped: Callable[[DeliveryRow], bool],
    reason: str = "worker died",
) -> int:
    """Rows being sent that `which` selects go back to pending, each with a log entry."""
    rows = session.execute(_jobs_query().where(DeliveryRow.status == "sending", which)).all()
    for row, chat_id, _item in rows:
        why = "worker stopped" if stopped(row) else reason
        session.add(
            delivery_event(row, chat_id, "requeued", now, error=why, worker=row.claim_token)
        )
        row.status, row.claim_token, row.claimed_at, row.claim_lease = "pending", None, None, None
    return len(rows)


def _apply(
    row: DeliveryRow,
    outcome: SendOutcome,
    now: datetime,
    max_attempts: int,
    backoff: Backoff | None,
) -> None:
    if outcome.status == "migrated":  # the same claim goes on to the new chat id
        row.last_error = outcome.error
        return
    row.claim_token, row.claimed_at, row.next_attempt_at = None, None, None
    row.claim_lease = None
    if outcome.status == "sent":
        row.status, row.message_id, row.sent_at = "sent", outcome.message_id, now
        row.plain_text = outcome.plain_text_fallback
        row.last_error = outcome.error
        return
    row.last_error = outcome.error
    if outcome.status == "retry" and outcome.rate_limited:
        row.rate_limited += 1
        row.status = "pending"
        row.next_attempt_at = now + timedelta(seconds=outcome.retry_after or 1.0)
    elif outcome.status == "retry":
        row.attempts += 1
        row.status = "failed" if row.attempts >= max_attempts else "pending"
        if backoff is not None and row.status == "pending":
            row.next_attempt_at = now + backoff(row.attempts)
    elif outcome.status == "failed":
        row.attempts += 1
        row.status = "failed"
    else:  # channel_gone: kept for when an admin re-enables the channel
        row.status = "pending"
