"""Channels: the chats posts go to, and their state (active, or why not)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from bot.settings import ChannelConfig
from bot.storage.base import HasSession
from bot.storage.tables import ChannelRow


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
                    row.inactive_reason = "removed from the config"

    def active_chat_ids(self: HasSession) -> list[str]:
        with self.session() as session:
            query = (
                select(ChannelRow.chat_id)
                .where(ChannelRow.active.is_(True))
                .order_by(ChannelRow.id)
            )
            return list(session.scalars(query))

    def deactivate_channel(self: HasSession, chat_id: int | str, reason: str) -> bool:
        """Mark a channel inactive; returns True when it was active until now."""
        with self.session() as session:
            row = session.scalar(select(ChannelRow).where(ChannelRow.chat_id == str(chat_id)))
            if row is None or not row.active:
                return False
            row.active, row.inactive_reason = False, reason[:500]
            return True

    def migrate_channel(self: HasSession, old_chat_id: int | str, new_chat_id: int | str) -> None:
        with self.session() as session:
            row = session.scalar(select(ChannelRow).where(ChannelRow.chat_id == str(old_chat_id)))
            taken = session.scalar(select(ChannelRow).where(ChannelRow.chat_id == str(new_chat_id)))
            if row is not None and taken is None:
                row.chat_id = str(new_chat_id)
