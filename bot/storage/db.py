"""Engine creation and schema migrations, for SQLite and PostgreSQL alike.

Migrations are an ordered list; each runs once, in its own transaction, and is recorded in
``schema_version``. Version 1 creates the tables of the current schema; later versions bring
an older database to it, so each later step must be idempotent (a new database already has
what it adds): use :func:`add_column` and :func:`create_missing_tables`.

Several instances may start at once: the runner holds a lock while it migrates (an advisory
lock on PostgreSQL, the write lock taken by ``BEGIN IMMEDIATE`` on SQLite), and reads which
versions are done only once it holds it, so each step runs exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DefaultClause,
    Engine,
    Integer,
    String,
    create_engine,
    event,
    false,
    inspect,
    select,
    update,
)
from sqlalchemy import text as sql
from sqlalchemy.engine import make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import TypeCompiler

from bot.storage.base import BROADCAST_FEED_URL
from bot.storage.channels import CONFIG_REMOVED
from bot.storage.editorial import OLD_RESULT_CODES
from bot.storage.schema import (
    Base,
    ChannelRow,
    CorrectionRow,
    FeedRow,
    ItemRow,
    RetractionRow,
    SchemaVersion,
    UTCDateTime,
    utcnow,
)

log = logging.getLogger(__name__)

MIGRATION_LOCK = 0x68756D6173  # pg_advisory_lock key: "humas"
VERSIONS = Base.metadata.tables["schema_version"]  # which steps ran, and when


@compiles(String, "postgresql")
def _unbounded_varchar(type_: String, compiler: TypeCompiler, **kw: object) -> str:
    # SQLite never enforced the lengths in the schema, and feeds send what they like (titles,
    # links, ETags): on PostgreSQL a too-long value must be stored too, not fail the insert.
    return "VARCHAR"


def create_missing_tables(conn: Connection) -> None:
    Base.metadata.create_all(conn, checkfirst=True)


def add_column(conn: Connection, table: str, column: Column[Any]) -> None:
    """ALTER TABLE ... ADD COLUMN, unless the column is there already. A column with a server
    default gets it (and NOT NULL when it is not nullable): existing rows take the default."""
    if column.name in {c["name"] for c in inspect(conn).get_columns(table)}:
        return
    kind = column.type.compile(dialect=conn.dialect)
    if isinstance(column.server_default, DefaultClause):
        arg = column.server_default.arg
        default = arg if isinstance(arg, str) else arg.compile(dialect=conn.dialect)
        kind += f" DEFAULT {default}" + ("" if column.nullable else " NOT NULL")
    conn.execute(sql(f'ALTER TABLE {table} ADD COLUMN "{column.name}" {kind}'))


def _feed_claims(conn: Connection) -> None:
    add_column(conn, "feeds", Column("claimed_by", String(100)))
    add_column(conn, "feeds", Column("claimed_until", UTCDateTime()))


def _lease_generations(conn: Connection) -> None:
    add_column(conn, "leases", Column("generation", Integer()))
    add_column(conn, "deliveries", Column("claim_lease", Integer()))


def _index_deliveries_by_item(conn: Connection) -> None:
    # A fresh database already has it (step 1 creates every table as declared).
    conn.execute(sql("CREATE INDEX IF NOT EXISTS ix_deliveries_item_id ON deliveries (item_id)"))


def _broadcast_items(conn: Connection) -> None:
    """Admin broadcasts' items carry a flag, no longer known by their pseudo-feed's URL alone."""
    add_column(
        conn, "items", Column("is_broadcast", Boolean(), nullable=False, server_default=false())
    )
    pseudo = select(FeedRow.id).where(FeedRow.url == BROADCAST_FEED_URL)
    conn.execute(
        update(ItemRow)
        .where(ItemRow.feed_id.in_(pseudo), ItemRow.is_broadcast.is_(False))
        .values(is_broadcast=True)
    )


def _result_codes(conn: Connection) -> None:
    """Retraction and correction results stored the Indonesian words as their codes."""
    for table in (RetractionRow, CorrectionRow):
        for row_id, results in conn.execute(select(table.id, table.results)).all():
            coded = {chat: OLD_RESULT_CODES.get(result, result) for chat, result in results.items()}
            if coded != results:
                conn.execute(update(table).where(table.id == row_id).values(results=coded))


def _inactive_reason_codes(conn: Connection) -> None:
    """A channel switched off by the config stored English words as its reason."""
    conn.execute(
        update(ChannelRow)
        .where(ChannelRow.inactive_reason == "removed from the config")
        .values(inactive_reason=CONFIG_REMOVED)
    )


MIGRATIONS: list[Callable[[Connection], None]] = [
    create_missing_tables,
    _feed_claims,
    create_missing_tables,  # leases and story_keys
    _index_deliveries_by_item,
    create_missing_tables,  # confirmations (awaited button presses)
    _broadcast_items,
    _result_codes,
    _lease_generations,
    create_missing_tables,  # panel_links and panel_sessions (web panel logins)
    _inactive_reason_codes,
]


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # pre-ping: a connection the server dropped (restart, pg_terminate_backend, a network
        # cut) is replaced when it is next taken from the pool, instead of failing the query.
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_size=8,
            max_overflow=8,
            connect_args={"connect_timeout": 10},
        )
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def check_driver_installed(url: str) -> str:
    """``url``, or ValueError unless it is a database URL whose driver is installed here."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        parsed = make_url(url)
        dialect = parsed.get_dialect()
    except ArgumentError:
        raise ValueError("bukan URL basis data, mis. sqlite:///humasbot.db") from None
    except NoSuchModuleError:
        raise ValueError(f"jenis basis data {url.split(':', 1)[0]!r} tidak dikenal") from None
    try:
        dialect.import_dbapi()
    except ImportError as exc:
        raise ValueError(
            f"driver {parsed.drivername} tidak terpasang ({exc.name or exc}): "
            "pasang drivernya atau pakai sqlite:///"
        ) from None
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: object) -> None:
    # WAL lets `poll --once` run beside `run`; busy_timeout waits instead of failing on a lock.
    cursor = dbapi_conn.cursor()
    # busy_timeout first: switching a new file to WAL takes a lock other starters may hold
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def migrate(engine: Engine) -> int:
    """Bring the schema up to date; returns the version now in force."""
    with engine.connect() as conn:
        if conn.dialect.name != "postgresql":
            return _run(conn, begin="BEGIN IMMEDIATE")
        conn.execute(sql("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        conn.commit()
        try:
            return _run(conn, begin=None)
        finally:
            conn.rollback()  # a failed step leaves its transaction open
            conn.execute(sql("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            conn.commit()


def _run(conn: Connection, *, begin: str | None) -> int:
    for version, step in enumerate(MIGRATIONS, start=1):
        if begin:
            conn.exec_driver_sql(begin)
        VERSIONS.create(conn, checkfirst=True)
        done = conn.scalar(select(SchemaVersion.version).where(SchemaVersion.version == version))
        if done is None:
            step(conn)
            conn.execute(VERSIONS.insert().values(version=version, applied_at=utcnow()))
            log.info("schema migrated version=%s", version)
        conn.commit()
    return len(MIGRATIONS)
