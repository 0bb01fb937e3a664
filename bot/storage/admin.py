"""What admins manage: added admins, the audit trail, admin-added feeds and channels."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from bot.storage.base import BROADCAST_FEED_URL, HasSession
from bot.storage.bot_views import AuditEntry, ChannelListing, FeedListing
from bot.storage.channels import added_chat
from bot.storage.schema import AdminFeedRow, AdminRow, AuditRow, ChannelRow, DeliveryRow, FeedRow

# The pseudo-feed that holds admin broadcasts as items (see broadcasts.py); never fetched.


class AdminQueries:
    def added_admins(self: HasSession) -> list[int]:
        with self.session() as session:
            return list(session.scalars(select(AdminRow.user_id).order_by(AdminRow.added_at)))

    def add_admin(self: HasSession, user_id: int, *, by: int, now: datetime) -> bool:
        with self.session() as session:
            if session.get(AdminRow, user_id) is not None:
                return False
            session.add(AdminRow(user_id=user_id, added_by=by, added_at=now))
            return True

    def remove_admin(self: HasSession, user_id: int) -> bool:
        with self.session() as session:
            return session.execute(delete(AdminRow).where(AdminRow.user_id == user_id)).rowcount > 0  # type: ignore[attr-defined]

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
                    detail=detail[:2000],
                )
            )

    def audit_entries(self: HasSession, limit: int = 50) -> list[AuditEntry]:
        query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        with self.session() as session:
            return [
                AuditEntry(r.at, r.user_id, r.user_name, r.chat_id, r.action, r.detail)
                for r in session.scalars(query)
            ]

    # --- feeds ----------------------------------------------------------------------------

    def admin_feeds(self: HasSession) -> list[tuple[str, str | None]]:
        with self.session() as session:
            rows = session.scalars(select(AdminFeedRow).order_by(AdminFeedRow.id))
            return [(row.url, row.name) for row in rows]

    def add_admin_feed(
        self: HasSession, url: str, name: str | None, *, by: int, now: datetime
    ) -> bool:
        with self.session() as session:
            if session.scalar(select(AdminFeedRow).where(AdminFeedRow.url == url)) is not None:
                return False
            session.add(AdminFeedRow(url=url, name=name, added_by=by, added_at=now))
            return True

    def remove_admin_feed(self: HasSession, feed_id: int) -> str | None:
        """Forget an admin-added feed by its feed id; returns its URL, None when the feed is
        unknown or comes from the config."""
        with self.session() as session:
            url = session.scalar(select(FeedRow.url).where(FeedRow.id == feed_id))
            if url is None:
                return None
            gone = session.execute(delete(AdminFeedRow).where(AdminFeedRow.url == url))
            return url if gone.rowcount else None  # type: ignore[attr-defined]

    def feed_list(self: HasSession) -> list[FeedListing]:
        with self.session() as session:
            added = set(session.scalars(select(AdminFeedRow.url)))
            rows = session.scalars(
                select(FeedRow).where(FeedRow.url != BROADCAST_FEED_URL).order_by(FeedRow.id)
            )
            return [
                FeedListing(
                    id=row.id,
                    url=row.url,
                    name=row.name or row.title,
                    enabled=row.enabled,
                    failures=row.failures,
                    last_success=row.last_success_at,
                    last_checked=row.last_checked_at,
                    added_by_admin=row.url in added,
                )
                for row in rows
            ]

    # --- channels -------------------------------------------------------------------------

    def channel_list(self: HasSession, kind: str = "channel") -> list[ChannelListing]:
        query = select(ChannelRow).where(ChannelRow.kind == kind).order_by(ChannelRow.id)
        with self.session() as session:
            return [
                ChannelListing(
                    id=r.id,
                    chat_id=r.chat_id,
                    name=r.name,
                    kind=r.kind,
                    topic=r.topic,
                    active=r.active,
                    in_config=r.in_config,
                    inactive_reason=r.inactive_reason,
                )
                for r in session.scalars(query)
            ]

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
