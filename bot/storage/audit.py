"""The accountability record: the audit trail of admin actions, and every admin action,
delivery, review, pause, retraction and correction in one time-ordered list, with the retention
of personal data in it (UU PDP 27/2022)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.storage.base import HasSession, rowcount
from bot.storage.schema import (
    AuditRow,
    ChannelRow,
    CorrectionRow,
    DeliveryEventRow,
    DeliveryRow,
    ItemRow,
    PauseRow,
    RetractionRow,
    ReviewRow,
)

DETAIL_CHARS = 2000  # of an audit entry's detail


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One admin action, as the audit trail keeps it."""

    at: datetime
    user_id: int  # 0 once retention forgot who it was
    user_name: str | None
    chat_id: int | None
    action: str
    detail: str


@dataclass(frozen=True, slots=True)
class Record:
    """One line of the accountability record."""

    at: datetime
    kind: str  # admin, delivery, review, pause, retraction, correction
    action: str
    actor: str  # who: a user id, or "bot"
    chat: str
    item_id: int | None
    title: str
    detail: str

    FIELDS = ("at", "kind", "action", "actor", "chat", "item_id", "title", "detail")


class AuditQueries:
    def record_audit(
        self: HasSession,
        *,
        user_id: int,
        user_name: str | None,
        chat_id: int | None,
        action: str,
        detail: str,
        now: datetime,
    ) -> None:
        with self.session() as session:
            session.add(
                AuditRow(
                    at=now,
                    user_id=user_id,
                    user_name=user_name,
                    chat_id=chat_id,
                    action=action,
                    detail=detail[:DETAIL_CHARS],
                )
            )

    def audit_entries(self: HasSession, limit: int = 50) -> list[AuditEntry]:
        """The newest admin actions first."""
        query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        with self.session() as session:
            return [
                AuditEntry(r.at, r.user_id, r.user_name, r.chat_id, r.action, r.detail)
                for r in session.scalars(query)
            ]

    def records(self: HasSession, since: datetime | None = None) -> list[Record]:
        with self.session() as session:
            found = [
                *_admin(session, since),
                *_deliveries(session, since),
                *_reviews(session, since),
                *_pauses(session, since),
                *_changes(session, since),
            ]
        return sorted(found, key=lambda r: r.at)

    def apply_retention(self: HasSession, cutoff: datetime) -> dict[str, int]:
        """Forget who people were in records older than `cutoff`: admin actions lose their user,
        the delivery log loses private chat ids, and subscribers gone since then are deleted."""
        with self.session() as session:
            audit = session.execute(
                update(AuditRow)
                .where(AuditRow.at < cutoff, AuditRow.user_id != 0)
                .values(user_id=0, user_name=None)
            )
            events = session.execute(
                update(DeliveryEventRow)
                .where(DeliveryEventRow.at < cutoff, DeliveryEventRow.chat_id.not_like("-%"))
                .where(DeliveryEventRow.chat_id.not_like("@%"), DeliveryEventRow.chat_id != "anon")
                .values(chat_id="anon")
            )
            gone = session.execute(
                delete(ChannelRow).where(
                    and_(
                        ChannelRow.kind == "subscriber",
                        ChannelRow.active.is_(False),
                        ChannelRow.inactive_since < cutoff,
                    )
                )
            )
        return {
            "audit": rowcount(audit),
            "delivery_log": rowcount(events),
            "subscribers": rowcount(gone),
        }


def _after(column: InstrumentedAttribute[Any], since: datetime | None) -> ColumnElement[bool]:
    return column >= since if since else column.is_not(None)


def _admin(session: Session, since: datetime | None) -> list[Record]:
    rows = session.scalars(select(AuditRow).where(_after(AuditRow.at, since)))
    return [
        Record(
            r.at,
            "admin",
            r.action,
            r.user_name or str(r.user_id),
            str(r.chat_id or ""),
            None,
            "",
            r.detail,
        )
        for r in rows
    ]


def _deliveries(session: Session, since: datetime | None) -> list[Record]:
    query = (
        select(DeliveryRow, ChannelRow.chat_id, ItemRow.title)
        .join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id)
        .join(ItemRow, ItemRow.id == DeliveryRow.item_id)
        .where(_after(DeliveryRow.created_at, since))
    )
    records = []
    for row, chat_id, title in session.execute(query):
        detail = f"message_id={row.message_id}" if row.message_id else (row.last_error or "")
        at = row.sent_at or row.created_at
        records.append(
            Record(at, "delivery", row.status, "bot", chat_id, row.item_id, title, detail)
        )
    return records


def _reviews(session: Session, since: datetime | None) -> list[Record]:
    query = select(ReviewRow, ItemRow.title).join(ItemRow, ItemRow.id == ReviewRow.item_id)
    records = []
    for row, title in session.execute(query.where(_after(ReviewRow.created_at, since))):
        chats = ",".join(row.chat_ids)
        reasons = "; ".join(sorted(set(row.reasons.values())))
        records.append(
            Record(row.created_at, "review", "queued", "bot", chats, row.item_id, title, reasons)
        )
        if row.decided_at:
            actor = str(row.decided_by) if row.decided_by else "bot"
            records.append(
                Record(row.decided_at, "review", row.status, actor, chats, row.item_id, title, "")
            )
    return records


def _pauses(session: Session, since: datetime | None) -> list[Record]:
    records = []
    for row in session.scalars(select(PauseRow).where(_after(PauseRow.created_at, since))):
        chats = ",".join(row.chats) if row.chats is not None else "*"
        until = row.until.isoformat() if row.until else "/lanjut"
        records.append(
            Record(
                row.created_at,
                "pause",
                "paused",
                str(row.created_by or ""),
                chats,
                None,
                "",
                f"until {until}",
            )
        )
        if row.lifted_at:
            records.append(
                Record(
                    row.lifted_at, "pause", "resumed", str(row.lifted_by or ""), chats, None, "", ""
                )
            )
    return records


def _changes(session: Session, since: datetime | None) -> list[Record]:
    retractions = select(RetractionRow, ItemRow.title).join(
        ItemRow, ItemRow.id == RetractionRow.item_id
    )
    corrections = select(CorrectionRow, ItemRow.title).join(
        ItemRow, ItemRow.id == CorrectionRow.item_id
    )
    changes: list[tuple[str, RetractionRow | CorrectionRow, str]] = [
        *(
            ("retraction", row, title)
            for row, title in session.execute(retractions.where(_after(RetractionRow.at, since)))
        ),
        *(
            ("correction", row, title)
            for row, title in session.execute(corrections.where(_after(CorrectionRow.at, since)))
        ),
    ]
    records = []
    for kind, row, title in changes:
        results = "; ".join(f"{chat}: {outcome}" for chat, outcome in sorted(row.results.items()))
        records.append(
            Record(row.at, kind, kind, str(row.by or ""), "", row.item_id, title, results)
        )
    return records
