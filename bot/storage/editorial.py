"""Editorial records: reviews, pauses, retractions and corrections, and what caps need to know."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import Session

from bot.editorial.pause import Pause
from bot.storage.base import HasSession
from bot.storage.schema import (
    ChannelRow,
    CorrectionRow,
    DeliveryRow,
    ItemRow,
    PauseRow,
    RetractionRow,
    ReviewRow,
)

# What a retraction or correction did in one chat when it worked (the value of its results by
# chat id); otherwise the results hold why it could not. Codes, shown through the catalogue.
DELETED, EDITED = "deleted", "edited"
OLD_RESULT_CODES = {"dihapus": DELETED, "diubah": EDITED}  # stored before version 7


@dataclass(frozen=True, slots=True)
class Review:
    """A post waiting for (or given) an admin's yes before it reaches some channels."""

    id: int
    item_id: int
    title: str
    html: str
    chat_ids: tuple[str, ...]
    reasons: dict[str, str]
    status: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SentMessage:
    """Where a post went out: the message to delete or edit."""

    chat_id: str
    message_id: int
    caption: bool  # sent as a photo caption: edit with editMessageCaption


def _review(row: ReviewRow, item: ItemRow) -> Review:
    return Review(
        id=row.id,
        item_id=row.item_id,
        title=item.title,
        html=item.post_html or "",
        chat_ids=tuple(row.chat_ids),
        reasons=dict(row.reasons),
        status=row.status,
        created_at=row.created_at,
    )


class EditorialQueries:
    # --- review -----------------------------------------------------------------------------

    def reviews(self: HasSession, status: str = "pending") -> list[Review]:
        query = (
            select(ReviewRow, ItemRow)
            .join(ItemRow, ItemRow.id == ReviewRow.item_id)
            .where(ReviewRow.status == status)
            .order_by(ReviewRow.id)
        )
        with self.session() as session:
            return [_review(row, item) for row, item in session.execute(query)]

    def unannounced_reviews(self: HasSession) -> list[Review]:
        query = (
            select(ReviewRow, ItemRow)
            .join(ItemRow, ItemRow.id == ReviewRow.item_id)
            .where(ReviewRow.status == "pending", ReviewRow.announced_at.is_(None))
            .order_by(ReviewRow.id)
        )
        with self.session() as session:
            return [_review(row, item) for row, item in session.execute(query)]

    def mark_announced(self: HasSession, review_id: int, now: datetime) -> None:
        with self.session() as session:
            session.get_one(ReviewRow, review_id).announced_at = now

    def item_reasons(self: HasSession, item_id: int) -> list[dict[str, object]]:
        with self.session() as session:
            return list(session.get_one(ItemRow, item_id).reasons)

    def review(self: HasSession, review_id: int) -> Review | None:
        with self.session() as session:
            row = session.get(ReviewRow, review_id)
            return _review(row, session.get_one(ItemRow, row.item_id)) if row else None

    def decide_review(
        self: HasSession, review_id: int, *, publish: bool, by: int | None, now: datetime
    ) -> Review | None:
        """Publish (its deliveries join the outbox) or reject a pending review, once.
        Returns None when it was not pending (already decided, expired, unknown)."""
        status = "published" if publish else "rejected"
        with self.session() as session:
            row = session.get(ReviewRow, review_id)
            if row is None or row.status != "pending":
                return None
            row.status, row.decided_at, row.decided_by = status, now, by
            _move_deliveries(session, row, "pending" if publish else "rejected")
            return _review(row, session.get_one(ItemRow, row.item_id))

    def expire_reviews(self: HasSession, *, older_than: datetime, now: datetime) -> list[int]:
        """Pending reviews created before `older_than` are recorded as expired."""
        with self.session() as session:
            rows = session.scalars(
                select(ReviewRow).where(
                    ReviewRow.status == "pending", ReviewRow.created_at < older_than
                )
            ).all()
            for row in rows:
                row.status, row.decided_at = "expired", now
                _move_deliveries(session, row, "expired")
            return [row.id for row in rows]

    # --- pauses -----------------------------------------------------------------------------

    def add_pause(
        self: HasSession,
        chats: Collection[str] | None,
        until: datetime | None,
        *,
        by: int | None,
        now: datetime,
    ) -> int:
        with self.session() as session:
            row = PauseRow(
                chats=sorted(chats) if chats is not None else None,
                until=until,
                created_by=by,
                created_at=now,
            )
            session.add(row)
            session.flush()
            return row.id

    def lift_pauses(
        self: HasSession, chats: Collection[str] | None, *, by: int | None, now: datetime
    ) -> int:
        """Lift the pauses in force: all of them, or those naming any of `chats` (a pause of
        every channel is lifted only by lifting all)."""
        lifted = 0
        with self.session() as session:
            for row in session.scalars(_active_pauses(now)):
                if chats is None or (row.chats is not None and set(row.chats) & set(chats)):
                    row.lifted_at, row.lifted_by = now, by
                    lifted += 1
        return lifted

    def active_pauses(self: HasSession, now: datetime) -> list[Pause]:
        with self.session() as session:
            return [
                Pause(frozenset(row.chats) if row.chats is not None else None, row.until)
                for row in session.scalars(_active_pauses(now))
            ]

    # --- retractions and corrections ---------------------------------------------------------

    def sent_messages(self: HasSession, item_id: int) -> list[SentMessage]:
        query = (
            select(ChannelRow.chat_id, DeliveryRow.message_id, DeliveryRow.post_caption, ItemRow)
            .join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id)
            .join(ItemRow, ItemRow.id == DeliveryRow.item_id)
            .where(
                DeliveryRow.item_id == item_id,
                DeliveryRow.status == "sent",
                DeliveryRow.message_id.is_not(None),
            )
            .order_by(DeliveryRow.id)
        )
        with self.session() as session:
            return [
                SentMessage(
                    chat_id, message_id, bool(item.image and (caption or item.post_caption))
                )
                for chat_id, message_id, caption, item in session.execute(query)
                if message_id is not None
            ]

    def record_retraction(
        self: HasSession, item_id: int, results: dict[str, str], *, by: int | None, now: datetime
    ) -> None:
        with self.session() as session:
            session.add(RetractionRow(item_id=item_id, by=by, at=now, results=results))
            session.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.item_id == item_id, DeliveryRow.status.in_(("pending", "review"))
                )
                .values(status="retracted")
            )

    def record_correction(
        self: HasSession,
        item_id: int,
        new_html: str,
        results: dict[str, str],
        *,
        by: int | None,
        now: datetime,
    ) -> str:
        """Store the corrected post (and the old one in the record); returns the old text."""
        with self.session() as session:
            item = session.get_one(ItemRow, item_id)
            old = item.post_html or ""
            session.add(
                CorrectionRow(
                    item_id=item_id, old_html=old, new_html=new_html, by=by, at=now, results=results
                )
            )
            item.post_html, item.post_caption = new_html, None
            session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.item_id == item_id)
                .values(post_html=None, post_caption=None)
            )
            return old

    # --- caps ---------------------------------------------------------------------------------

    def recent_sends(self: HasSession, chat_id: int | str, since: datetime) -> list[datetime]:
        query = (
            select(DeliveryRow.sent_at)
            .join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id)
            .where(
                ChannelRow.chat_id == str(chat_id),
                DeliveryRow.status == "sent",
                DeliveryRow.sent_at >= since,
            )
        )
        with self.session() as session:
            return [sent for sent in session.scalars(query) if sent is not None]


def _active_pauses(now: datetime) -> Select[PauseRow]:
    return select(PauseRow).where(
        PauseRow.lifted_at.is_(None), or_(PauseRow.until.is_(None), PauseRow.until > now)
    )


def _move_deliveries(session: Session, review: ReviewRow, status: str) -> None:
    channel_ids = select(ChannelRow.id).where(ChannelRow.chat_id.in_(review.chat_ids))
    session.execute(
        update(DeliveryRow)
        .where(
            DeliveryRow.item_id == review.item_id,
            DeliveryRow.status == "review",
            DeliveryRow.channel_id.in_(channel_ids),
        )
        .values(status=status)
    )
