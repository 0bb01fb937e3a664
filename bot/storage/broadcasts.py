"""Broadcasts: drafts, confirmed and scheduled runs, and their delivery through the outbox.

A run becomes an item of the pseudo-feed ``admin:broadcast`` plus one pending delivery per target
channel, written in the same transaction that moves the broadcast on (compare-and-set on its
status and run time), so the outbox sends it with the usual guarantees and no run happens twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, true, update
from sqlalchemy.orm import Session

from bot.storage.base import BROADCAST_FEED_URL, HasSession, rowcount
from bot.storage.schema import BroadcastRow, ChannelRow, DeliveryRow, FeedRow, ItemRow


@dataclass(frozen=True, slots=True)
class Draft:
    """What an admin asked to broadcast, before ✅ Kirim."""

    html: str
    image: str | None
    targets: tuple[str, ...] | None  # None: every active channel
    run_at: datetime | None  # None: at once
    repeat: str  # once | daily | weekly
    content: str  # text | digest
    timezone: str
    created_by: int
    created_by_name: str | None
    created_in: int


@dataclass(frozen=True, slots=True)
class Broadcast:
    """A stored broadcast: its draft, where it stands, and how often it ran."""

    id: int
    status: str  # draft, pending, paused, done, cancelled, missed
    draft: Draft
    runs: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Progress:
    """How an item's deliveries stand (a broadcast run's, for its progress report)."""

    sent: int
    failed: int
    waiting: int  # pending to active channels
    total: int

    @property
    def done(self) -> bool:
        return self.waiting == 0


def _view(row: BroadcastRow) -> Broadcast:
    draft = Draft(
        html=row.html,
        image=row.image,
        targets=tuple(row.targets) if row.targets is not None else None,
        run_at=row.run_at,
        repeat=row.repeat,
        content=row.content,
        timezone=row.timezone,
        created_by=row.created_by,
        created_by_name=row.created_by_name,
        created_in=row.created_in,
    )
    return Broadcast(row.id, row.status, draft, row.runs, row.created_at)


def _broadcast_feed(session: Session) -> int:
    feed_id = session.scalar(select(FeedRow.id).where(FeedRow.url == BROADCAST_FEED_URL))
    if feed_id is None:
        row = FeedRow(
            url=BROADCAST_FEED_URL, name="Siaran admin", enabled=False, failures=0, items_seen=0
        )
        session.add(row)
        session.flush()
        feed_id = row.id
    return feed_id


def _target_channels(session: Session, targets: list[str] | None) -> list[int]:
    query = select(ChannelRow.id).where(ChannelRow.active.is_(True), ChannelRow.kind == "channel")
    if targets is not None:
        query = query.where(ChannelRow.chat_id.in_(targets))
    return list(session.scalars(query.order_by(ChannelRow.id)))


class BroadcastQueries:
    def create_broadcast(self: HasSession, draft: Draft, *, now: datetime) -> int:
        with self.session() as session:
            row = BroadcastRow(
                status="draft",
                repeat=draft.repeat,
                content=draft.content,
                html=draft.html,
                image=draft.image,
                targets=list(draft.targets) if draft.targets is not None else None,
                run_at=draft.run_at,
                timezone=draft.timezone,
                created_by=draft.created_by,
                created_by_name=draft.created_by_name,
                created_in=draft.created_in,
                created_at=now,
                runs=0,
            )
            session.add(row)
            session.flush()
            return row.id

    def get_broadcast(self: HasSession, broadcast_id: int) -> Broadcast | None:
        with self.session() as session:
            row = session.get(BroadcastRow, broadcast_id)
            return _view(row) if row else None

    def confirm_broadcast(
        self: HasSession, broadcast_id: int, *, made_after: datetime | None = None
    ) -> Broadcast | None:
        """draft -> pending, once: a second press of ✅ Kirim finds it no longer a draft. A draft
        made before `made_after` has expired and stays a draft."""
        fresh = BroadcastRow.created_at > made_after if made_after else true()
        with self.session() as session:
            moved = session.execute(
                update(BroadcastRow)
                .where(BroadcastRow.id == broadcast_id, BroadcastRow.status == "draft", fresh)
                .values(status="pending")
            )
            if not rowcount(moved):
                return None
            return _view(session.get_one(BroadcastRow, broadcast_id))

    def cancel_broadcast(self: HasSession, broadcast_id: int) -> bool:
        """A draft or a pending (or paused) schedule becomes cancelled; False when neither."""
        with self.session() as session:
            moved = session.execute(
                update(BroadcastRow)
                .where(
                    BroadcastRow.id == broadcast_id,
                    BroadcastRow.status.in_(("draft", "pending", "paused")),
                )
                .values(status="cancelled")
            )
            return bool(rowcount(moved))

    def pause_schedules_of(self: HasSession, user_id: int) -> list[int]:
        """The pending schedules `user_id` set become paused (they no longer run); their ids."""
        with self.session() as session:
            ids = list(
                session.scalars(
                    select(BroadcastRow.id).where(
                        BroadcastRow.created_by == user_id, BroadcastRow.status == "pending"
                    )
                )
            )
            if ids:
                session.execute(
                    update(BroadcastRow)
                    .where(BroadcastRow.id.in_(ids), BroadcastRow.status == "pending")
                    .values(status="paused")
                )
            return ids

    def take_over_schedules(
        self: HasSession, from_user: int, *, by: int, by_name: str | None
    ) -> list[Broadcast]:
        """`from_user`'s paused schedules become `by`'s, pending again; returns them."""
        with self.session() as session:
            rows = session.scalars(
                select(BroadcastRow).where(
                    BroadcastRow.created_by == from_user, BroadcastRow.status == "paused"
                )
            ).all()
            for row in rows:
                row.status, row.created_by, row.created_by_name = "pending", by, by_name
            return [_view(row) for row in rows]

    def pending_schedules(self: HasSession) -> list[Broadcast]:
        query = (
            select(BroadcastRow)
            .where(BroadcastRow.status == "pending", BroadcastRow.run_at.is_not(None))
            .order_by(BroadcastRow.run_at, BroadcastRow.id)
        )
        with self.session() as session:
            return [_view(row) for row in session.scalars(query)]

    def run_broadcast(
        self: HasSession,
        broadcast_id: int,
        *,
        expected_run_at: datetime | None,
        html: str,
        image: str | None,
        now: datetime,
        next_run_at: datetime | None,
    ) -> int | None:
        """Queue one run: an item and one delivery per target channel. Moves the broadcast to
        done (or to its next run). None when the run is no longer due (already run, moved or
        cancelled); otherwise how many deliveries were queued."""
        with self.session() as session:
            row = _claim(session, broadcast_id, expected_run_at, next_run_at, now)
            if row is None:
                return None
            item = ItemRow(
                feed_id=_broadcast_feed(session),
                uid=f"broadcast:{broadcast_id}:{row.runs}",
                title=f"Siaran #{broadcast_id}",
                published_at=now,
                first_seen_at=now,
                image=image,
                postable=True,
                analysed=True,
                is_election=False,
                is_broadcast=True,
                score=0.0,
                reasons=[],
                hashtags=[],
                topics=[],
                post_html=html,
                post_caption=html if image else None,
            )
            session.add(item)
            session.flush()
            channels = _target_channels(session, row.targets)
            session.add_all(
                DeliveryRow(
                    channel_id=channel_id,
                    item_id=item.id,
                    status="pending",
                    attempts=0,
                    created_at=now,
                )
                for channel_id in channels
            )
            return len(channels)

    def skip_run(
        self: HasSession,
        broadcast_id: int,
        *,
        expected_run_at: datetime,
        next_run_at: datetime | None,
    ) -> bool:
        """A run missed beyond the grace period: a one-off becomes missed, a recurring one
        moves to its next run. False when someone else already handled that run."""
        with self.session() as session:
            values: dict[str, object] = (
                {"run_at": next_run_at} if next_run_at else {"status": "missed"}
            )
            moved = session.execute(
                update(BroadcastRow)
                .where(
                    BroadcastRow.id == broadcast_id,
                    BroadcastRow.status == "pending",
                    BroadcastRow.run_at == expected_run_at,
                )
                .values(**values)
            )
            return bool(rowcount(moved))

    def latest_run_item(self: HasSession, broadcast_id: int) -> int | None:
        """The item of the broadcast's latest run."""
        query = (
            select(ItemRow.id)
            .where(ItemRow.uid.like(f"broadcast:{broadcast_id}:%"))
            .order_by(ItemRow.id.desc())
            .limit(1)
        )
        with self.session() as session:
            return session.scalar(query)

    def item_progress(self: HasSession, item_id: int) -> Progress:
        """How an item's deliveries stand: sent, failed, still waiting for an active channel."""
        query = (
            select(DeliveryRow.status, ChannelRow.active, func.count())
            .join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id)
            .where(DeliveryRow.item_id == item_id)
            .group_by(DeliveryRow.status, ChannelRow.active)
        )
        sent = failed = waiting = total = 0
        with self.session() as session:
            for status, active, count in session.execute(query):
                total += count
                sent += count if status == "sent" else 0
                failed += count if status == "failed" else 0
                waiting += count if status in ("pending", "sending") and active else 0
        return Progress(sent, failed, waiting, total)


def _claim(
    session: Session,
    broadcast_id: int,
    expected_run_at: datetime | None,
    next_run_at: datetime | None,
    now: datetime,
) -> BroadcastRow | None:
    run_at = (
        BroadcastRow.run_at.is_(None)
        if expected_run_at is None
        else BroadcastRow.run_at == expected_run_at
    )
    values: dict[str, object] = {"runs": BroadcastRow.runs + 1, "last_run_at": now}
    values.update({"run_at": next_run_at} if next_run_at else {"status": "done"})
    moved = session.execute(
        update(BroadcastRow)
        .where(BroadcastRow.id == broadcast_id, BroadcastRow.status == "pending", run_at)
        .values(**values)
    )
    if not rowcount(moved):
        return None
    row = session.get_one(BroadcastRow, broadcast_id)
    session.refresh(row)
    return row
