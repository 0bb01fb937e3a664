"""The databases tests run on: a SQLite file, and a PostgreSQL server when one answers.

The server comes from $HUMASBOT_TEST_POSTGRES_URL (default: the local one, user postgres).
One database is created for the test session and dropped after it; each test gets a schema of
its own in it (a fresh, empty database as far as the test can tell). Where no server answers,
PostgreSQL tests are skipped with the reason, unless HUMASBOT_REQUIRE_POSTGRES=1 (CI), which
makes that a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy.engine import URL, make_url

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def server_url() -> URL:
    return make_url(os.environ.get("HUMASBOT_TEST_POSTGRES_URL", DEFAULT_SERVER))


def conninfo(url: URL) -> str:
    """The libpq connection string of a SQLAlchemy URL (psycopg's own connect)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def admin_connection(url: URL) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    with psycopg.connect(conninfo(url), autocommit=True, connect_timeout=3) as conn:
        yield conn


def unavailable(reason: str) -> None:
    """No server: a skip with the reason, or a failure where PostgreSQL is required."""
    if os.environ.get("HUMASBOT_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL required (HUMASBOT_REQUIRE_POSTGRES=1): {reason}")
    pytest.skip(f"no PostgreSQL server: {reason}")


@contextmanager
def session_database() -> Iterator[URL]:
    """A new database on the server, dropped afterwards (with whatever still connects to it)."""
    server = server_url()
    name = f"humasbot_test_{secrets.token_hex(4)}"
    try:
        with admin_connection(server) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        unavailable(f"{server.render_as_string()}: {str(exc).strip()}")
    try:
        yield server.set(database=name)
    finally:
        with admin_connection(server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_schema(database: URL) -> Iterator[str]:
    """A schema of its own in the session's database: the URL of an empty database."""
    schema = f"t_{secrets.token_hex(6)}"
    with admin_connection(database) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = database.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin_connection(database) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
