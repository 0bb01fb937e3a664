"""The one clock that leases and claims are measured on.

Instances on several hosts compare expiry times that other instances wrote. On PostgreSQL every
such time is read from the database server's clock (``clock_timestamp()``), so the hosts' clocks
need not agree: a host whose clock runs an hour ahead neither keeps a lease for an extra hour nor
takes one an hour early. SQLite is one file on one host: its clock is the caller's.

What is due (a feed's next check, a delivery's next attempt) stays on the caller's ``now``: a
skewed clock makes a check a little early or late, never doubled.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session


def lease_clock(session: Session, local: datetime) -> datetime:
    """Now on the clock leases are kept on: the server's on PostgreSQL, `local` on SQLite."""
    if session.get_bind().dialect.name != "postgresql":
        return local
    server = session.scalar(select(func.clock_timestamp()))
    assert server is not None
    return server.astimezone(UTC)
