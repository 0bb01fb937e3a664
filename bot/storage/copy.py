"""`humasbot db copy FROM_URL TO_URL`: every table of one database into another, for moving up
from SQLite to PostgreSQL (or between any two supported databases).

Both databases are first brought to the current schema. The tables come from the SQLAlchemy
metadata in dependency order (feeds before items before deliveries), each read in primary-key
order and written in batches. The whole copy is one transaction on the target: it lands
entirely or not at all, so a failed copy can simply be run again. A target that already holds
data is refused. On PostgreSQL the id sequences are moved past the copied ids afterwards.

Rows claimed by a process of the source (a delivery being sent, a feed being checked) keep
their claims; the claims run out and the work goes back to the pool, as after any crash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, Integer, Table, exists, false, func, select
from sqlalchemy.engine import make_url

from bot.storage.db import make_engine, migrate
from bot.storage.schema import Base

# Not data: who holds which one-at-a-time role is about the processes running now.
NOT_COPIED = frozenset({"schema_version", "leases"})
BATCH = 1000

Progress = Callable[[str, int, int], None]  # table, rows copied so far, rows in the table


class CopyRefused(Exception):
    """The copy cannot start; the message says why (in Bahasa Indonesia, for the operator)."""


@dataclass(frozen=True, slots=True)
class TableCopy:
    name: str
    rows: int


def copied_tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_COPIED]


def copy_database(
    source_url: str, target_url: str, *, batch: int = BATCH, progress: Progress | None = None
) -> list[TableCopy]:
    _check_urls(source_url, target_url)
    source, target = make_engine(source_url), make_engine(target_url)
    try:
        migrate(source)
        migrate(target)
        return _copy(source, target, batch, progress or (lambda *_: None))
    finally:
        source.dispose()
        target.dispose()


def _check_urls(source_url: str, target_url: str) -> None:
    source, target = make_url(source_url), make_url(target_url)
    if source == target:
        raise CopyRefused("sumber dan tujuan adalah basis data yang sama")
    if source.get_backend_name() == "sqlite":
        path = source.database
        if not path or path == ":memory:" or not Path(path).is_file():
            raise CopyRefused(f"berkas SQLite sumber tidak ada: {path or '(kosong)'}")


def _copy(source: Engine, target: Engine, batch: int, progress: Progress) -> list[TableCopy]:
    tables = copied_tables()
    done: list[TableCopy] = []
    with source.connect() as reader, target.begin() as writer:
        holding = [t.name for t in tables if writer.scalar(select(exists().select_from(t)))]
        if holding:
            raise CopyRefused(
                "basis data tujuan sudah berisi data (tabel: " + ", ".join(holding) + ")"
            )
        for table in tables:
            done.append(TableCopy(table.name, _copy_table(reader, writer, table, batch, progress)))
        if writer.dialect.name == "postgresql":
            _reset_sequences(writer, tables)
    return done


def _copy_table(
    reader: Connection, writer: Connection, table: Table, batch: int, progress: Progress
) -> int:
    total = reader.scalar(select(func.count()).select_from(table)) or 0
    query = select(table).order_by(*table.primary_key.columns)
    copied = 0
    for rows in reader.execution_options(yield_per=batch).execute(query).partitions():
        writer.execute(table.insert(), [dict(row._mapping) for row in rows])
        copied += len(rows)
        progress(table.name, copied, total)
    if copied == 0:
        progress(table.name, 0, total)
    return copied


def _reset_sequences(writer: Connection, tables: list[Table]) -> None:
    """Ids were copied as they were: the next id each table hands out comes after them."""
    for table in tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer):
            continue
        column = key[0]
        sequence = func.pg_get_serial_sequence(table.name, column.name)
        writer.execute(
            select(func.setval(sequence, func.coalesce(func.max(column), 0) + 1, false()))
        )
