"""The accountability record: every admin action, delivery, review, pause, retraction and
correction in one time-ordered list, and the retention of personal data in it (UU PDP 27/2022)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, select, update
from sqlalchemy.orm import Session

from bot.storage.base import HasSession
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


@dataclass(frozen=True)
class Record:
    at: datetime
    kind: str  # admin, delivery, review, pause, retraction, correction
    action: str
    actor: str  # who: a user id, or "bot"
    chat: str
    item_id: int | None
    title: str
    detail: str

    FIELDS = ("at", "kind", "action", "actor", "chat", "item_id", "title", "detail")


class RecordQueries:
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
            ).rowcount
            events = session.execute(
                update(DeliveryEventRow)
                .where(DeliveryEventRow.at < cutoff, DeliveryEventRow.chat_id.not_like("-%"))
                .where(DeliveryEventRow.chat_id.not_like("@%"), DeliveryEventRow.chat_id != "anon")
                .values(chat_id="anon")
            ).rowcount
            gone = session.execute(
                delete(ChannelRow).where(
                    and_(
                        ChannelRow.kind == "subscriber",
                        ChannelRow.active.is_(False),
                        ChannelRow.inactive_since < cutoff,
                    )
                )
            ).rowcount
        return {"audit": audit, "delivery_log": events, "subscribers": gone}  # type: ignore[dict-item]


def _after(column, since: datetime | None):  # type: ignore[no-untyped-def]
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
    records = []
    for kind, table in (("retraction", RetractionRow), ("correction", CorrectionRow)):
        query = select(table, ItemRow.title).join(ItemRow, ItemRow.id == table.item_id)
        for row, title in session.execute(query.where(_after(table.at, since))):
            results = "; ".join(
                f"{chat}: {outcome}" for chat, outcome in sorted(row.results.items())
            )
            records.append(
                Record(row.at, kind, kind, str(row.by or ""), "", row.item_id, title, results)
            )
    return records
