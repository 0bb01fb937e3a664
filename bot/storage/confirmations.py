"""Button presses awaited in the database, not in one process's memory: a press works on any
instance sharing the database and after a restart, until the confirmation expires.

A confirmation (✅ Tarik, ✅ Koreksi) is taken once: an atomic compare-and-set on `used_at`
decides which press wins when two arrive together. A search's pages are read any number of
times. Rows are kept a week past their expiry so a late press can be told it expired, then
deleted.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import delete, update

from bot.storage.base import HasSession, rowcount
from bot.storage.schema import ConfirmationRow

CONFIRM_TTL = timedelta(hours=24)  # a /tarik, /koreksi or /siarkan preview waits this long
SEARCH_TTL = timedelta(days=7)  # a /cari result can be paged this long
KEEP_EXPIRED = timedelta(days=7)

State = Literal["ok", "expired", "used", "unknown"]


@dataclass(frozen=True, slots=True)
class Awaited:
    """What a press found: its payload when `state` is "ok"."""

    state: State
    payload: dict[str, Any] = field(default_factory=dict)


class ConfirmationQueries:
    def await_press(
        self: HasSession,
        kind: str,
        chat_id: int,
        payload: dict[str, Any],
        *,
        now: datetime,
        ttl: timedelta = CONFIRM_TTL,
    ) -> str:
        """Store what a button will confirm; returns the token its callback data carries."""
        token = secrets.token_urlsafe(12)  # 16 characters, 96 random bits
        with self.session() as session:
            session.execute(
                delete(ConfirmationRow).where(ConfirmationRow.expires_at < now - KEEP_EXPIRED)
            )
            session.add(
                ConfirmationRow(
                    token=token,
                    kind=kind,
                    chat_id=chat_id,
                    payload=payload,
                    created_at=now,
                    expires_at=now + ttl,
                )
            )
        return token

    def take_press(
        self: HasSession, token: str, kind: str, chat_id: int, *, now: datetime
    ) -> Awaited:
        """Use a confirmation once: "ok" for exactly one press, whichever instance gets it."""
        mine = (
            ConfirmationRow.token == token,
            ConfirmationRow.kind == kind,
            ConfirmationRow.chat_id == chat_id,
        )
        with self.session() as session:
            taken = session.execute(
                update(ConfirmationRow)
                .where(*mine, ConfirmationRow.used_at.is_(None), ConfirmationRow.expires_at > now)
                .values(used_at=now)
            )
            row = session.get(ConfirmationRow, token)
            if row is None or row.kind != kind or row.chat_id != chat_id:
                return Awaited("unknown")
            if rowcount(taken):
                return Awaited("ok", dict(row.payload))
            return Awaited("used" if row.used_at is not None else "expired")

    def read_press(
        self: HasSession, token: str, kind: str, chat_id: int, *, now: datetime
    ) -> Awaited:
        """Read what a button carries without using it up (search pages)."""
        with self.session() as session:
            row = session.get(ConfirmationRow, token)
            if row is None or row.kind != kind or row.chat_id != chat_id:
                return Awaited("unknown")
            if row.expires_at <= now:
                return Awaited("expired")
            return Awaited("ok", dict(row.payload))
