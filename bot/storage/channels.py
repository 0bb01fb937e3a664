"""Channels: the chats posts go to (the config's, those admins added, and subscribers), their state
(active, or why not), and their delivery health."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, case, delete, func, select, update
from sqlalchemy.orm import aliased

from bot.settings import ChannelConfig
from bot.storage.base import HasSession, rowcount, write_session
from bot.storage.delivery_log import delivery_event
from bot.storage.schema import ChannelRow, DeliveryEventRow, DeliveryRow

# stored as a code (shown through the catalogue); other reasons are Telegram's own words
CONFIG_REMOVED = "config_removed"


@dataclass(frozen=True, slots=True)
class ChannelListing:
    """A channel's line in the admins' lists."""

    id: int
    chat_id: str
    name: str | None
    kind: str  # "channel" (an agency's) or "subscriber"
    topic: str | None  # only items of this topic; None = all
    active: bool
    in_config: bool
    inactive_reason: str | None


@dataclass(frozen=True, slots=True)
class ChannelDeliveries(ChannelListing):
    """A channel and how its deliveries stand: its line in `humasbot deliveries` and /kanal."""

    sent: int
    pending: int  # waiting or being sent
    failed: int
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None


def _listing(row: ChannelRow) -> ChannelListing:
    return ChannelListing(
        id=row.id,
        chat_id=row.chat_id,
        name=row.name,
        kind=row.kind,
        topic=row.topic,
        active=row.active,
        in_config=row.in_config,
        inactive_reason=row.inactive_reason,
    )


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


class ChannelQueries:
    def sync_channels(self: HasSession, channels: Sequence[ChannelConfig]) -> None:
        """Follow the config: add listed channels, deactivate the ones no longer listed.

        A channel the bot was removed from stays inactive even while listed; it comes back when
        an admin re-enables it, not by a restart.
        """
        wanted = {str(channel.chat_id): channel for channel in channels}
        with self.session() as session:
            rows = {row.chat_id: row for row in session.scalars(select(ChannelRow))}
            for chat_id, channel in wanted.items():
                row = rows.get(chat_id)
                if row is None:
                    row = ChannelRow(chat_id=chat_id, active=True)
                    session.add(row)
                elif not row.in_config:
                    row.active, row.inactive_reason = True, None
                row.name, row.in_config = channel.name, True
            for chat_id, row in rows.items():
                if chat_id not in wanted and row.in_config:
                    row.in_config, row.active = False, False
                    row.inactive_reason = CONFIG_REMOVED

    def active_chat_ids(self: HasSession) -> list[str]:
        with self.session() as session:
            query = (
                select(ChannelRow.chat_id)
                .where(ChannelRow.active.is_(True))
                .order_by(ChannelRow.id)
            )
            return list(session.scalars(query))

    def deactivate_channel(
        self: HasSession, chat_id: int | str, reason: str, *, now: datetime | None = None
    ) -> bool:
        """Mark a channel inactive; True only for the one caller (of any process) that turned it
        from active to inactive, so the admins are told once."""
        now = now or datetime.now(UTC)
        with write_session(self) as session:
            row = session.scalar(select(ChannelRow).where(ChannelRow.chat_id == str(chat_id)))
            changed = session.execute(
                update(ChannelRow)
                .where(ChannelRow.chat_id == str(chat_id), ChannelRow.active.is_(True))
                .values(active=False, inactive_reason=reason[:500], inactive_since=now)
            )
            if rowcount(changed) and row is not None:
                session.add(
                    delivery_event(
                        None, chat_id, "deactivated", now, channel_id=row.id, error=reason
                    )
                )
            return bool(rowcount(changed))

    def channel_kind(self: HasSession, chat_id: int | str) -> str | None:
        """ "channel" (an agency's), "subscriber", or None when unknown."""
        with self.session() as session:
            return session.scalar(select(ChannelRow.kind).where(ChannelRow.chat_id == str(chat_id)))

    def enable_channel(
        self: HasSession, chat_id: int | str, *, now: datetime | None = None
    ) -> bool | None:
        """An admin re-enables a channel: its pending posts go out again, oldest first.
        True when it was inactive, False when it was already active, None when unknown."""
        now = now or datetime.now(UTC)
        with write_session(self) as session:
            row = session.scalar(select(ChannelRow).where(ChannelRow.chat_id == str(chat_id)))
            if row is None:
                return None
            if row.active:
                return False
            row.active, row.inactive_reason, row.inactive_since = True, None, None
            session.add(delivery_event(None, chat_id, "enabled", now, channel_id=row.id))
            return True

    def migrate_channel(self: HasSession, old_chat_id: int | str, new_chat_id: int | str) -> None:
        """A group became a supergroup: the channel (and its queue) follows the new id."""
        with write_session(self) as session:
            row = session.scalar(select(ChannelRow).where(ChannelRow.chat_id == str(old_chat_id)))
            taken = session.scalar(select(ChannelRow).where(ChannelRow.chat_id == str(new_chat_id)))
            if row is not None and taken is None:
                row.chat_id = str(new_chat_id)

    # --- what admins manage ----------------------------------------------------------------

    def channel_list(self: HasSession, kind: str = "channel") -> list[ChannelListing]:
        query = select(ChannelRow).where(ChannelRow.kind == kind).order_by(ChannelRow.id)
        with self.session() as session:
            return [_listing(row) for row in session.scalars(query)]

    def add_channel(self: HasSession, chat_id: int | str, name: str | None) -> str:
        """An admin adds a channel: "added", "reactivated", "exists" or "is_subscriber"."""
        with self.session() as session:
            row = session.scalar(select(ChannelRow).where(ChannelRow.chat_id == str(chat_id)))
            if row is None:
                session.add(added_chat(chat_id, name, "channel"))
                return "added"
            if row.kind != "channel":
                return "is_subscriber"
            if row.active:
                return "exists"
            row.active, row.inactive_reason, row.name = True, None, name or row.name
            return "reactivated"

    def remove_channel(self: HasSession, ref: str) -> str:
        """Remove an admin-added channel by row id or chat id: "removed", "in_config" or
        "unknown". Its deliveries go with it."""
        with self.session() as session:
            query = select(ChannelRow).where(ChannelRow.kind == "channel")
            if ref.isdecimal():
                row = session.scalar(query.where(ChannelRow.id == int(ref)))
            else:
                row = session.scalar(query.where(ChannelRow.chat_id == ref))
            if row is None:
                return "unknown"
            if row.in_config:
                return "in_config"
            session.execute(delete(DeliveryRow).where(DeliveryRow.channel_id == row.id))
            session.delete(row)
            return "removed"

    # --- reports -----------------------------------------------------------------------------

    def channel_deliveries(self: HasSession) -> list[ChannelDeliveries]:
        """Per channel: sent, pending, failed, last success and last error, in channel order."""
        counts = (
            select(
                DeliveryRow.channel_id,
                _count(DeliveryRow.status == "sent").label("sent"),
                _count(DeliveryRow.status.in_(("pending", "sending"))).label("pending"),
                _count(DeliveryRow.status == "failed").label("failed"),
                func.max(DeliveryRow.sent_at).label("last_success"),
            )
            .group_by(DeliveryRow.channel_id)
            .subquery()
        )
        event = aliased(DeliveryEventRow)
        last_error_id = (
            select(func.max(event.id))
            .where(
                event.channel_id == ChannelRow.id,
                event.error.is_not(None),
                event.outcome != "held",  # a cap holding a post back is not an error
            )
            .correlate(ChannelRow)
            .scalar_subquery()
        )
        query = (
            select(ChannelRow, counts, DeliveryEventRow.error, DeliveryEventRow.at)
            .outerjoin(counts, counts.c.channel_id == ChannelRow.id)
            .outerjoin(DeliveryEventRow, DeliveryEventRow.id == last_error_id)
            .order_by(ChannelRow.id)
        )
        with self.session() as session:
            rows = session.execute(query).all()
            return [
                ChannelDeliveries(
                    **asdict(_listing(row)),
                    sent=int(sent or 0),
                    pending=int(pending or 0),
                    failed=int(failed or 0),
                    last_success=last_success,
                    last_error=error,
                    last_error_at=error_at,
                )
                for row, _id, sent, pending, failed, last_success, error, error_at in rows
            ]


def added_chat(
    chat_id: int | str, name: str | None, kind: str, topic: str | None = None
) -> ChannelRow:
    """A chat the config does not list: a channel an admin added, or a subscriber."""
    return ChannelRow(
        chat_id=str(chat_id), name=name, kind=kind, topic=topic, active=True, in_config=False
    )
