"""Migrations when instances start at once, and a database connection cut mid-run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from bot.models import SendOutcome
from bot.storage import Store
from bot.storage.db import MIGRATIONS
from bot.storage.schema import DeliveryRow, SchemaVersion
from tests.backends import admin_connection
from tests.deliver.outbox_support import channel_configs, queue_posts

NOW = datetime.now(UTC)
ROOT = Path(__file__).resolve().parents[2]

# Each process imports the storage package, says it is ready, waits for the go file, then opens
# (and so migrates) the database: they all start migrating within milliseconds.
STARTER = """
import sys, time
from pathlib import Path
from bot.storage import Store
ready, go, url = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
ready.touch()
deadline = time.monotonic() + 60
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.001)
Store(url).close()
"""


def test_instances_starting_at_once_migrate_once(database_url, tmp_path):
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, str(tmp_path / f"ready-{i}"), str(go), database_url],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    errors = [p.communicate(timeout=120)[1] for p in starters]
    assert [p.returncode for p in starters] == [0, 0, 0], errors
    store = Store(database_url)
    with store.session() as session:
        versions = list(session.scalars(select(SchemaVersion.version).order_by("version")))
    store.close()
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def _terminate_others(url: str) -> int:
    """pg_terminate_backend on every other connection to the test database."""
    with admin_connection(make_url(url).set(query={})) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def _terminate(pid: int, url: str) -> None:
    with admin_connection(make_url(url).set(query={})) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


@pytest.fixture
def store(postgres_url):
    store = Store(postgres_url)
    store.sync_channels(channel_configs([-1001300000000 - i for i in range(4)]))
    yield store
    store.close()


def test_claims_and_outcomes_go_on_after_the_connections_are_terminated(store, postgres_url):
    queue_posts(store, 2)
    jobs = store.claim_jobs("host-a:1:a", now=NOW, limit=10)
    assert len(jobs) == 4
    assert _terminate_others(postgres_url) >= 1  # the pool's idle connections are dead now
    for job in jobs:
        store.record_outcome(job, SendOutcome("sent", message_id=7), now=NOW, max_attempts=3)
    again = store.claim_jobs("host-a:1:a", now=NOW, limit=10)
    assert len(again) == 4 and not {j.delivery_id for j in again} & {j.delivery_id for j in jobs}


def test_a_claim_cut_off_mid_transaction_is_made_again_and_nothing_is_lost(store, postgres_url):
    queue_posts(store, 3)
    cut = {"done": False}

    @event.listens_for(store.engine, "before_cursor_execute")
    def cut_once(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if "SKIP LOCKED" in statement and not cut["done"]:
            cut["done"] = True
            _terminate(conn.connection.dbapi_connection.info.backend_pid, postgres_url)

    seen: list[int] = []
    while jobs := store.claim_jobs("host-a:1:a", now=NOW, limit=3):
        seen += [job.delivery_id for job in jobs]
        for job in jobs:
            store.record_outcome(job, SendOutcome("sent", message_id=1), now=NOW, max_attempts=3)
    assert cut["done"]
    assert len(seen) == len(set(seen)) == 12
    with store.session() as session:
        query = select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status)
        by_status = {status: count for status, count in session.execute(query)}
    assert by_status == {"sent": 12}
