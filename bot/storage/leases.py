"""Leases: which instance does the work that must be done by one at a time.

A lease row names its holder and when the lease runs out. Taking or renewing it is one
UPDATE ... WHERE (it ran out, or the caller holds it): whatever the timing, one caller wins.
Expiry is on one clock (bot.storage.clock: the server's on PostgreSQL), so the hosts' clocks
need not agree.

Each change of holder adds one to the lease's ``generation``: work claimed under a generation
older than the current one was claimed by a holder that has stopped (bot.roles steps down
before its lease can run out), so a new holder may take that work back at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func, or_, select, update

from bot.storage.base import HasSession, insert_ignoring_conflicts, rowcount, write_session
from bot.storage.clock import lease_clock
from bot.storage.schema import LeaseRow

NEVER = datetime(1970, 1, 1, tzinfo=UTC)


class LeaseQueries:
    # Not retried here: bot.roles tries again every few seconds, and must see a failure at once
    # to stop the role's work before its lease runs out.
    def acquire_lease(
        self: HasSession,
        name: str,
        holder: str,
        *,
        now: datetime,
        ttl: timedelta,
        gone: Callable[[str], bool] | None = None,
    ) -> int | None:
        """Take or renew the lease `name` for `holder` for `ttl`; its generation when held, None
        when another holds it. `now` is this host's clock, used on SQLite only (bot.storage.clock).

        gone: says a holder is certainly dead (its process is gone on this host), so its lease
        is taken over at once instead of after it runs out."""
        with write_session(self) as session:
            now = lease_clock(session, now)
            session.execute(
                insert_ignoring_conflicts(session, LeaseRow).values(
                    name=name, holder=None, expires_at=NEVER
                )
            )
            current = session.scalar(select(LeaseRow.holder).where(LeaseRow.name == name))
            free = or_(LeaseRow.expires_at < now, LeaseRow.holder == holder)
            if current and current != holder and gone is not None and gone(current):
                free = or_(free, LeaseRow.holder == current)
            generation = func.coalesce(LeaseRow.generation, 0)
            taken = session.scalar(
                update(LeaseRow)
                .where(LeaseRow.name == name, free)
                .values(
                    holder=holder,
                    expires_at=now + ttl,
                    generation=case((LeaseRow.holder == holder, generation), else_=generation + 1),
                )
                .returning(LeaseRow.generation)
            )
            return taken

    def release_lease(self: HasSession, name: str, holder: str) -> bool:
        """Give the lease up (a clean stop): another instance takes it at its next try."""
        with self.session() as session:
            released = session.execute(
                update(LeaseRow)
                .where(LeaseRow.name == name, LeaseRow.holder == holder)
                .values(holder=None, expires_at=NEVER)
            )
            return bool(rowcount(released))

    def lease_holder(self: HasSession, name: str, *, now: datetime) -> str | None:
        """Who holds `name` now (None when nobody does); `now` as for acquire_lease."""
        with self.session() as session:
            now = lease_clock(session, now)
            query = select(LeaseRow.holder).where(LeaseRow.name == name, LeaseRow.expires_at >= now)
            return session.scalar(query)
