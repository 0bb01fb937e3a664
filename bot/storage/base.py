"""What every query module shares: the session protocol, write transactions, batching, and the
dialect's INSERT ... ON CONFLICT DO NOTHING."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import CursorResult, Result, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

T = TypeVar("T")

# The pseudo-feed whose items are admin broadcasts (bot.storage.broadcasts).
BROADCAST_FEED_URL = "admin:broadcast"


class HasSession(Protocol):
    def session(self) -> AbstractContextManager[Session]: ...


def rowcount(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched."""
    return cast(CursorResult[Any], result).rowcount


def chunks(values: list[T], size: int = 500) -> Iterator[list[T]]:
    """Slices small enough for one SQL IN (...) list."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def insert_ignoring_conflicts(session: Session, table: type[object]) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING in the session's dialect (SQLite or PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


@contextmanager
def write_session(store: HasSession) -> Iterator[Session]:
    """A transaction that takes SQLite's write lock first (BEGIN IMMEDIATE).

    Read-then-write in a deferred transaction fails at once with "database is locked" when
    another process wrote in between; taking the lock first makes the busy timeout apply.
    PostgreSQL needs no such thing: its writers lock rows (FOR UPDATE, SKIP LOCKED).
    """
    with store.session() as session:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("BEGIN IMMEDIATE"))
        yield session
