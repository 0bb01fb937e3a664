"""Engine creation and schema migrations.

Migrations are an ordered list; each runs once, in its own transaction, and is recorded in
``schema_version``. Version 1 creates the tables; later versions alter them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.engine import make_url

# The tables defined beside the core ones join the same metadata when imported.
from bot.storage import tables_bot, tables_delivery, tables_editorial  # noqa: F401
from bot.storage.tables import Base, SchemaVersion, utcnow

log = logging.getLogger(__name__)


def _create_tables(conn: Connection) -> None:
    Base.metadata.create_all(conn)


def _add_confirmations(conn: Connection) -> None:
    # Idempotent: a database created at version 1 by this code already has the table.
    tables_bot.ConfirmationRow.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]


MIGRATIONS: list[Callable[[Connection], None]] = [_create_tables, _add_confirmations]


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    # WAL lets `poll --once` run beside `run`; busy_timeout waits instead of failing on a lock.
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def migrate(engine: Engine) -> int:
    """Bring the schema up to date; returns the version now in force."""
    with engine.begin() as conn:
        SchemaVersion.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
        done = set(conn.scalars(select(SchemaVersion.version)))
    for version, step in enumerate(MIGRATIONS, start=1):
        if version in done:
            continue
        with engine.begin() as conn:
            step(conn)
            conn.execute(
                SchemaVersion.__table__.insert().values(version=version, applied_at=utcnow())  # type: ignore[attr-defined]
            )
        log.info("schema migrated version=%s", version)
    return len(MIGRATIONS)
