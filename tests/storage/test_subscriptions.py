"""Subscriptions and broadcasts in the store: targets like channels, compare-and-set runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.settings import ChannelConfig
from bot.storage import Store
from bot.storage.broadcasts import Draft

NOW = datetime(2024, 2, 14, tzinfo=UTC)


def _store(url: str) -> Store:
    store = Store(url)
    store.sync_channels([ChannelConfig(chat_id=-1001), ChannelConfig(chat_id=-1002)])
    return store


def test_subscribe_change_topic_unsubscribe(database_url):
    store = _store(database_url)
    assert store.subscribe(555, "Sri", None) == "subscribed"
    assert store.subscribe(555, "Sri", None) == "unchanged"
    assert store.subscribe(555, "Sri", "pilkada") == "changed"
    assert store.subscription_topic(555) == (True, "pilkada")
    assert store.subscribe(-1001, "kanal", None) == "is_channel"
    assert "555" in store.active_chat_ids() and store.subscriber_count() == 1
    store.sync_channels([ChannelConfig(chat_id=-1001), ChannelConfig(chat_id=-1002)])
    assert "555" in store.active_chat_ids()  # config sync leaves subscribers alone
    assert store.deactivate_channel(555, "Forbidden: bot was blocked by the user")
    assert store.subscription_topic(555) == (False, "pilkada")
    assert store.subscribe(555, "Sri", None) == "subscribed"  # back after unblocking
    assert store.unsubscribe(555) and not store.unsubscribe(555)
    assert "555" not in store.active_chat_ids()


def _draft(run_at, repeat="once", targets=None) -> Draft:
    return Draft(
        html="Teks",
        image=None,
        targets=targets,
        run_at=run_at,
        repeat=repeat,
        content="text",
        timezone="Asia/Makassar",
        created_by=42,
        created_by_name="a",
        created_in=42,
    )


def test_a_run_happens_once_and_reaches_only_its_targets(database_url):
    store = _store(database_url)
    at = NOW + timedelta(hours=1)
    broadcast_id = store.create_broadcast(_draft(at, targets=("-1002",)), now=NOW)
    run = {"expected_run_at": at, "html": "Teks", "image": None, "now": at, "next_run_at": None}
    assert store.run_broadcast(broadcast_id, **run) is None  # still a draft
    assert store.confirm_broadcast(broadcast_id) is not None
    assert store.confirm_broadcast(broadcast_id) is None
    assert store.run_broadcast(broadcast_id, **run) == 1
    assert store.run_broadcast(broadcast_id, **run) is None
    jobs = store.pending_jobs()
    assert [(j.chat_id, j.post.html) for j in jobs] == [(-1002, "Teks")]
    assert store.get_broadcast(broadcast_id).status == "done"
    assert not store.cancel_broadcast(broadcast_id)


def test_recurring_runs_move_forward_and_missed_runs_are_marked(database_url):
    store = _store(database_url)
    at = NOW + timedelta(hours=1)
    daily = store.create_broadcast(_draft(at, repeat="daily"), now=NOW)
    once = store.create_broadcast(_draft(at), now=NOW)
    store.confirm_broadcast(daily), store.confirm_broadcast(once)
    following = at + timedelta(days=1)
    assert store.skip_run(daily, expected_run_at=at, next_run_at=following)
    assert not store.skip_run(daily, expected_run_at=at, next_run_at=following)
    assert store.get_broadcast(daily).draft.run_at == following
    assert store.skip_run(once, expected_run_at=at, next_run_at=None)
    assert store.get_broadcast(once).status == "missed"
    assert [b.id for b in store.pending_schedules()] == [daily]
