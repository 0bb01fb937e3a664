"""Leases: which instance does the work that must be done by one at a time.

A lease row names its holder and when the lease runs out. Taking or renewing it is one
UPDATE ... WHERE (it ran out, or the caller holds it): whatever the timing, one caller wins.
Times come from the instances' clocks, so their clocks must agree to well within a lease
(NTP does).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update

from bot.storage.base import HasSession, insert_ignoring_conflicts, write_session
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
    ) -> bool:
        """Take or renew the lease `name` for `holder` until ``now + ttl``; True when held.

        gone: says a holder is certainly dead (its process is gone on this host), so its lease
        is taken over at once instead of after it runs out."""
        with write_session(self) as session:
            session.execute(
                insert_ignoring_conflicts(session, LeaseRow).values(
                    name=name, holder=None, expires_at=NEVER
                )
            )
            current = session.scalar(select(LeaseRow.holder).where(LeaseRow.name == name))
            free = or_(LeaseRow.expires_at < now, LeaseRow.holder == holder)
            if current and current != holder and gone is not None and gone(current):
                free = or_(free, LeaseRow.holder == current)
            taken = session.execute(
                update(LeaseRow)
                .where(LeaseRow.name == name, free)
                .values(holder=holder, expires_at=now + ttl)
            )
            return bool(taken.rowcount)  # type: ignore[attr-defined]

    def release_lease(self: HasSession, name: str, holder: str) -> bool:
        """Give the lease up (a clean stop): another instance takes it at its next try."""
        with self.session() as session:
            released = session.execute(
                update(LeaseRow)
                .where(LeaseRow.name == name, LeaseRow.holder == holder)
                .values(holder=None, expires_at=NEVER)
            )
            return bool(released.rowcount)  # type: ignore[attr-defined]

    def lease_holder(self: HasSession, name: str, *, now: datetime) -> str | None:
        """Who holds `name` now (None when nobody does)."""
        query = select(LeaseRow.holder).where(LeaseRow.name == name, LeaseRow.expires_at >= now)
        with self.session() as session:
            return session.scalar(query)
