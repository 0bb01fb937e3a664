"""Web panel logins: one-time links and sessions (bot.services.panel_login holds the rules).

Only SHA-256 hashes of the secrets are stored: someone who reads the database (a backup, `db
copy`) cannot log in with what they find. A link is used once: an atomic compare-and-set on
`used_at` decides which of two openings wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.orm import Session

from bot.storage.base import HasSession, rowcount
from bot.storage.schema import PanelLinkRow, PanelSessionRow

KEEP_ENDED = timedelta(days=7)  # ended links and sessions are deleted this long after


@dataclass(frozen=True, slots=True)
class LinkOwner:
    """Whose link was just used."""

    user_id: int
    user_name: str | None


@dataclass(frozen=True, slots=True)
class PanelSession:
    user_id: int
    user_name: str | None
    csrf: str
    expires_at: datetime


class LoginQueries:
    """Reads and writes of the two tables, on any store (`HasSession`)."""

    def __init__(self, store: HasSession) -> None:
        self._store = store

    def add_link(
        self, token_hash: str, user_id: int, user_name: str | None, *, now: datetime, ttl: timedelta
    ) -> None:
        with self._store.session() as session:
            _purge(session, now)
            session.add(
                PanelLinkRow(
                    token_hash=token_hash,
                    user_id=user_id,
                    user_name=user_name,
                    created_at=now,
                    expires_at=now + ttl,
                )
            )

    def use_link(self, token_hash: str, *, now: datetime) -> LinkOwner | None:
        """Mark the link used; its owner when it was unused and unexpired, else None."""
        with self._store.session() as session:
            taken = session.execute(
                update(PanelLinkRow)
                .where(
                    PanelLinkRow.token_hash == token_hash,
                    PanelLinkRow.used_at.is_(None),
                    PanelLinkRow.expires_at > now,
                )
                .values(used_at=now)
            )
            if not rowcount(taken):
                return None
            row = session.get_one(PanelLinkRow, token_hash)
            return LinkOwner(row.user_id, row.user_name)

    def add_session(
        self,
        token_hash: str,
        owner: LinkOwner,
        csrf: str,
        *,
        now: datetime,
        ttl: timedelta,
    ) -> None:
        with self._store.session() as session:
            session.add(
                PanelSessionRow(
                    token_hash=token_hash,
                    user_id=owner.user_id,
                    user_name=owner.user_name,
                    csrf=csrf,
                    created_at=now,
                    expires_at=now + ttl,
                )
            )

    def find_session(self, token_hash: str, *, now: datetime) -> PanelSession | None:
        """The session when it is neither ended nor expired."""
        with self._store.session() as session:
            row = session.get(PanelSessionRow, token_hash)
            if row is None or row.ended_at is not None or row.expires_at <= now:
                return None
            return PanelSession(row.user_id, row.user_name, row.csrf, row.expires_at)

    def end_session(self, token_hash: str, *, now: datetime) -> bool:
        with self._store.session() as session:
            ended = session.execute(
                update(PanelSessionRow)
                .where(PanelSessionRow.token_hash == token_hash, PanelSessionRow.ended_at.is_(None))
                .values(ended_at=now)
            )
            return bool(rowcount(ended))

    def end_sessions_of(self, user_id: int, *, now: datetime) -> int:
        """End every session (and unused link) of one person; returns how many sessions."""
        with self._store.session() as session:
            session.execute(
                update(PanelLinkRow)
                .where(PanelLinkRow.user_id == user_id, PanelLinkRow.used_at.is_(None))
                .values(used_at=now)
            )
            ended = session.execute(
                update(PanelSessionRow)
                .where(PanelSessionRow.user_id == user_id, PanelSessionRow.ended_at.is_(None))
                .values(ended_at=now)
            )
            return int(rowcount(ended))


def _purge(session: Session, now: datetime) -> None:
    """Forget links and sessions over a week past their end."""
    cutoff = now - KEEP_ENDED
    session.execute(delete(PanelLinkRow).where(PanelLinkRow.expires_at < cutoff))
    session.execute(
        delete(PanelSessionRow).where(
            or_(PanelSessionRow.expires_at < cutoff, PanelSessionRow.ended_at < cutoff)
        )
    )
