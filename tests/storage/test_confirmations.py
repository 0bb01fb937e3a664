"""Awaited button presses in the database: taken once, read many times, expired, and the table
added to a database made before it existed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, inspect, text

from bot.storage import Store
from bot.storage.schema import SchemaVersion

NOW = datetime(2024, 2, 14, 8, 0, tzinfo=UTC)


def test_a_confirmation_is_taken_once_even_by_racing_presses(database_url: str):
    store = Store(database_url)
    token = store.await_press("tr", 42, {"item_id": 7}, now=NOW)
    with ThreadPoolExecutor(8) as pool:
        states = list(
            pool.map(lambda _: store.take_press(token, "tr", 42, now=NOW).state, range(8))
        )
    assert sorted(states) == ["ok"] + ["used"] * 7
    store.close()


def test_pages_are_read_until_they_expire_and_old_rows_go(database_url: str):
    store = Store(database_url)
    token = store.await_press("cari", 5, {"query": "q"}, now=NOW, ttl=timedelta(days=7))
    later = NOW + timedelta(days=6)
    assert store.read_press(token, "cari", 5, now=later).payload == {"query": "q"}
    assert store.read_press(token, "cari", 5, now=later).state == "ok"
    assert store.read_press(token, "cari", 5, now=NOW + timedelta(days=7)).state == "expired"
    assert store.take_press(token, "cari", 5, now=NOW + timedelta(days=8)).state == "expired"
    store.await_press("tr", 1, {}, now=NOW + timedelta(days=15))  # purges what expired long ago
    assert store.read_press(token, "cari", 5, now=NOW).state == "unknown"
    store.close()


def test_the_table_is_added_to_a_database_made_before_it(database_url: str):
    url = database_url
    store = Store(url)
    with store.engine.begin() as conn:  # as the schema was at version 1
        conn.execute(text("DROP TABLE confirmations"))
        conn.execute(delete(SchemaVersion).where(SchemaVersion.version > 1))
    store.close()
    store = Store(url)
    assert "confirmations" in inspect(store.engine).get_table_names()
    assert store.take_press(store.await_press("kr", 1, {}, now=NOW), "kr", 1, now=NOW).state == "ok"
    store.close()
