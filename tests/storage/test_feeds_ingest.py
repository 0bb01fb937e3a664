"""Feed records for ingestion at scale: batched check results, moves, 410 Gone, health."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.fetch.health import FeedCheck
from bot.settings import FeedConfig
from bot.storage import Store

NOW = datetime(2024, 2, 10, 8, 0, tzinfo=UTC)
NEXT = NOW + timedelta(minutes=5)
A, B = "https://a.example/rss", "https://b.example/rss"


@pytest.fixture
def store(database_url):
    store = Store(database_url)
    store.sync_feeds([FeedConfig(url=A), FeedConfig(url=B)])
    yield store
    store.close()


def ids(store: Store) -> dict[str, int]:
    return {f.url: f.id for f in store.due_feeds(NOW, every=True)}


def test_one_batch_records_every_outcome(store):
    a, b = ids(store)[A], ids(store)[B]
    ok = FeedCheck(
        a, "ok", NEXT, etag='"1"', body_hash="h1", ttl_seconds=3600, new_items=3, title="A"
    )
    store.record_checks([ok, FeedCheck(b, "failed", NEXT, error="HTTP 500")], now=NOW)
    store.record_checks(
        [FeedCheck(a, "unchanged", NEXT), FeedCheck(b, "failed", NEXT, error="x")], now=NOW
    )
    state = {f.url: f for f in store.due_feeds(NOW, every=True)}
    assert (state[A].etag, state[A].body_hash, state[A].ttl_seconds) == ('"1"', "h1", 3600)
    health = {h.url: h for h in store.feed_health()}
    assert (health[A].status, health[A].items, health[A].last_success) == ("ok", 3, NOW)
    assert (health[B].status, health[B].failures, health[B].last_error) == ("failing", 2, "x")
    store.record_checks([FeedCheck(b, "ok", NEXT, new_items=1)], now=NOW)
    assert {h.url: h.status for h in store.feed_health()}[B] == "ok"


def test_a_moved_feed_keeps_its_row_across_config_syncs(store):
    a = ids(store)[A]
    store.record_checks([FeedCheck(a, "ok", NEXT, moved_to="https://a.example/feed")], now=NOW)
    store.sync_feeds([FeedConfig(url=A), FeedConfig(url=B)])
    health = {h.url: h for h in store.feed_health()}
    assert set(health) == {"https://a.example/feed", B}
    assert (
        health["https://a.example/feed"].config_url == A
        and health["https://a.example/feed"].enabled
    )
    # the config now lists the new URL: still the same row, with its history
    store.sync_feeds([FeedConfig(url="https://a.example/feed"), FeedConfig(url=B)])
    [moved] = [h for h in store.feed_health() if h.url == "https://a.example/feed"]
    assert moved.enabled and moved.config_url is None and len(store.feed_health()) == 2


def test_a_move_onto_another_feeds_url_is_not_made(store):
    a = ids(store)[A]
    store.record_checks([FeedCheck(a, "ok", NEXT, moved_to=B)], now=NOW)
    assert {h.url for h in store.feed_health()} == {A, B}


def test_a_gone_feed_is_never_due_again_even_after_a_sync(store):
    a = ids(store)[A]
    store.record_checks([FeedCheck(a, "gone", NEXT, error="HTTP 410 Gone")], now=NOW)
    store.sync_feeds([FeedConfig(url=A), FeedConfig(url=B)])
    assert [f.url for f in store.due_feeds(NOW + timedelta(days=1), every=True)] == [B]
    [gone] = [h for h in store.feed_health() if h.url == A]
    assert gone.status == "gone" and gone.next_check is None
