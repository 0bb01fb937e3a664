"""add_items at scale: known items cost one lookup, old items are stored without text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from bot.models import Item
from bot.settings import FeedConfig
from bot.storage import Store
from bot.storage.stories import StoryCandidate

NOW = datetime(2024, 2, 10, 8, 0, tzinfo=UTC)
AGE = timedelta(hours=24)


@pytest.fixture
def store(database_url):
    store = Store(database_url)
    store.sync_feeds([FeedConfig(url="https://a.example/rss")])
    yield store
    store.close()


def item(uid: str, age: timedelta = timedelta(hours=1)) -> Item:
    return Item(
        uid, f"Judul {uid}", f"https://a.example/{uid}", NOW - age, "ringkas", "isi panjang"
    )


def statements(store: Store) -> list[str]:
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: seen.append(a[2].split()[0]))
    return seen


def test_known_items_cost_one_select_per_500_and_nothing_else(store):
    fid = store.due_feeds(NOW)[0].id
    batch = [item(str(i)) for i in range(1200)]
    assert len(store.add_items(fid, batch, now=NOW, max_age=AGE)) == 1200
    seen = statements(store)
    assert store.add_items(fid, batch, now=NOW, max_age=AGE) == []
    assert [s for s in seen if s not in ("BEGIN", "COMMIT")] == ["SELECT"] * 3


def test_new_items_come_back_in_order_and_old_ones_without_text(store):
    fid = store.due_feeds(NOW)[0].id
    new = store.add_items(fid, [item("a"), item("b", AGE * 3), item("a")], now=NOW, max_age=AGE)
    assert [(n.uid, n.postable) for n in new] == [("a", True), ("b", False)]
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT uid, summary, content FROM items ORDER BY uid").all()
    assert rows == [("a", "ringkas", "isi panjang"), ("b", "", "")]


def test_stories_are_stored_and_read_back_within_the_window(store):
    fid = store.due_feeds(NOW)[0].id
    first, second = store.add_items(fid, [item("a"), item("b")], now=NOW, max_age=AGE)
    store.assign_stories(
        [
            StoryCandidate(first.id, first.id, "https://a.example/a", b"\x01" * 8),
            StoryCandidate(second.id, first.id, "https://a.example/b", None),
        ]
    )
    assert store.recent_stories(NOW - timedelta(hours=1)) == [
        StoryCandidate(first.id, first.id, "https://a.example/a", b"\x01" * 8),
        StoryCandidate(second.id, first.id, "https://a.example/b", None),
    ]
    assert store.recent_stories(NOW + timedelta(minutes=1)) == []
