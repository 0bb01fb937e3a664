"""Admins added by other admins with /admin tambah (the config's admins are not stored)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from bot.storage.base import HasSession, rowcount
from bot.storage.schema import AdminRow


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
            return (
                rowcount(session.execute(delete(AdminRow).where(AdminRow.user_id == user_id))) > 0
            )
