"""Subscribers: a private chat or group that asked for posts is a delivery target
(`ChannelRow.kind == "subscriber"`), optionally for one topic only."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from bot.storage.base import HasSession
from bot.storage.channels import added_chat
from bot.storage.schema import ChannelRow, DeliveryRow


class SubscriberQueries:
    def subscribe(self: HasSession, chat_id: int, name: str | None, topic: str | None) -> str:
        """Make the chat a subscriber. Returns "subscribed", "changed" (topic changed),
        "unchanged", or "is_channel" when the chat is an agency channel already."""
        with self.session() as session:
            row = session.scalar(select(ChannelRow).where(ChannelRow.chat_id == str(chat_id)))
            if row is None:
                session.add(added_chat(chat_id, name, "subscriber", topic))
                return "subscribed"
            if row.kind != "subscriber":
                return "is_channel"
            if not row.active:
                # what piled up while the chat was blocked or gone is stale news by now
                session.execute(
                    delete(DeliveryRow).where(
                        DeliveryRow.channel_id == row.id, DeliveryRow.status == "pending"
                    )
                )
                row.active, row.inactive_reason, row.topic, row.name = True, None, topic, name
                return "subscribed"
            if row.topic == topic:
                return "unchanged"
            row.topic, row.name = topic, name
            return "changed"

    def unsubscribe(self: HasSession, chat_id: int) -> bool:
        """Forget the chat's subscription and its deliveries; False when it had none."""
        with self.session() as session:
            row = session.scalar(
                select(ChannelRow).where(
                    ChannelRow.chat_id == str(chat_id), ChannelRow.kind == "subscriber"
                )
            )
            if row is None:
                return False
            session.execute(delete(DeliveryRow).where(DeliveryRow.channel_id == row.id))
            session.delete(row)
            return row.active

    def subscription_topic(self: HasSession, chat_id: int) -> tuple[bool, str | None]:
        """(subscribed and active, topic)."""
        with self.session() as session:
            row = session.scalar(
                select(ChannelRow).where(
                    ChannelRow.chat_id == str(chat_id), ChannelRow.kind == "subscriber"
                )
            )
            return (row is not None and row.active, row.topic if row else None)

    def subscriber_count(self: HasSession) -> int:
        with self.session() as session:
            query = select(func.count()).where(
                ChannelRow.kind == "subscriber", ChannelRow.active.is_(True)
            )
            return session.scalar(query) or 0
