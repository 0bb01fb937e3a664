"""Several instances on one database: work claimed once, stories posted once, leases taken over.

Each "instance" is a Store of its own (its own engine and connections, as another process
would have); the threads start each round together at a barrier, so the claims really race.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest

from bot.deliver.claims import process_is_gone
from bot.models import Item
from bot.pipeline.dedupe import Fresh, StoryIndex
from bot.settings import DedupeConfig, FeedConfig
from bot.storage import Store

NOW = datetime.now(UTC)
LEASE = timedelta(minutes=2)
T = TypeVar("T")


def together(stores: list[Store], work: Callable[[int, Store], T]) -> list[T]:
    """Run work(index, store) for every store at the same moment, one thread each."""
    start = threading.Barrier(len(stores))
    results: list[T | None] = [None] * len(stores)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            start.wait(timeout=30)
            results[index] = work(index, stores[index])
        except BaseException as exc:  # surfaced below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]


@pytest.fixture
def instances(database_url):
    setup = Store(database_url)
    setup.sync_feeds([FeedConfig(url=f"https://portal{i}.example/rss") for i in range(60)])
    setup.close()
    stores = [Store(database_url), Store(database_url)]
    yield stores
    for store in stores:
        store.close()


def test_two_instances_claiming_due_feeds_at_once_never_both_get_one(instances):
    claimed = together(
        instances,
        lambda i, store: store.claim_feeds(f"host{i}:1:a", now=NOW, lease=LEASE),
    )
    ids = [[feed.id for feed in feeds] for feeds in claimed]
    assert not set(ids[0]) & set(ids[1])
    assert len(ids[0]) + len(ids[1]) == 60


def test_a_checked_feed_is_not_due_again_before_its_interval(instances):
    from bot.fetch.health import FeedCheck

    first, second = instances
    feeds = first.claim_feeds("host0:1:a", now=NOW, lease=LEASE)
    first.record_checks(
        [FeedCheck(f.id, "unchanged", NOW + timedelta(minutes=5)) for f in feeds], now=NOW
    )
    assert second.claim_feeds("host1:1:b", now=NOW + timedelta(seconds=1), lease=LEASE) == []
    later = second.claim_feeds("host1:1:b", now=NOW + timedelta(minutes=6), lease=LEASE)
    assert len(later) == 60


def test_a_dead_instances_feeds_return_to_the_pool_when_its_lease_runs_out(instances):
    alive, other = instances
    assert len(alive.claim_feeds("host0:1:a", now=NOW, lease=LEASE)) == 60
    assert other.claim_feeds("host1:1:b", now=NOW + timedelta(minutes=1), lease=LEASE) == []
    # renewed while its check runs: still its own after the first lease would have run out
    assert alive.renew_feed_claims("host0:1:a", now=NOW + timedelta(minutes=1), lease=LEASE) == 60
    assert other.claim_feeds("host1:1:b", now=NOW + timedelta(minutes=2.5), lease=LEASE) == []
    # then it died: no renewal, and the other instance takes them all
    taken = other.claim_feeds("host1:1:b", now=NOW + timedelta(minutes=3.5), lease=LEASE)
    assert len(taken) == 60


def test_a_lease_has_one_holder_and_passes_on_when_it_runs_out(database_url):
    store, ttl = Store(database_url), timedelta(seconds=10)
    at = lambda seconds: NOW + timedelta(seconds=seconds)  # noqa: E731
    assert store.acquire_lease("sender", "host-a:1:a", now=at(0), ttl=ttl)
    assert not store.acquire_lease("sender", "host-b:1:b", now=at(5), ttl=ttl)
    assert store.acquire_lease("sender", "host-a:1:a", now=at(5), ttl=ttl)  # renewed to 15 s
    assert not store.acquire_lease("sender", "host-b:1:b", now=at(14), ttl=ttl)
    assert store.lease_holder("sender", now=at(14)) == "host-a:1:a"
    assert store.acquire_lease("sender", "host-b:1:b", now=at(16), ttl=ttl)  # a stopped renewing
    assert not store.acquire_lease("sender", "host-a:1:a", now=at(16), ttl=ttl)
    assert store.release_lease("sender", "host-b:1:b")  # a clean stop hands it over at once
    assert store.acquire_lease("sender", "host-a:1:a", now=at(17), ttl=ttl)
    store.close()


def test_a_lease_of_a_process_gone_on_this_host_is_taken_at_once(database_url):
    import socket

    finished = subprocess.run(["true"], check=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    assert finished.returncode == 0
    token = f"{socket.gethostname()[:60]}:{dead.pid}:0123"
    store, ttl = Store(database_url), timedelta(seconds=10)
    assert store.acquire_lease("updates", token, now=NOW, ttl=ttl)
    assert not store.acquire_lease("updates", "host-b:1:b", now=NOW, ttl=ttl)  # not seen dead
    assert store.acquire_lease("updates", "me:2:c", now=NOW, ttl=ttl, gone=process_is_gone)
    store.close()


def test_instances_racing_for_a_lease_leave_one_winner(instances):
    for round_ in range(10):
        won = together(
            instances,
            lambda i, store, r=round_: store.acquire_lease(
                f"role-{r}", f"host{i}:1:x", now=NOW, ttl=timedelta(seconds=10)
            ),
        )
        assert sorted(won) == [False, True]


def _copy(uid: str, link: str) -> Item:
    return Item(
        uid=uid,
        title="KPU tetapkan jadwal kampanye Pilkada serentak",
        link=link,
        published=NOW - timedelta(minutes=5),
        summary="",
        content="Komisi Pemilihan Umum menetapkan jadwal kampanye Pilkada serentak hari ini.",
    )


def test_copies_of_one_story_found_by_two_instances_at_once_are_posted_once(instances):
    ids = {url: feed_id for feed_id, url in instances[0].feed_urls().items()}
    feed_ids = [ids[f"https://portal{i}.example/rss"] for i in range(2)]
    link = "https://kpu.example/berita/jadwal-kampanye"
    fresh: list[Fresh] = []
    for index, (store, feed_id) in enumerate(zip(instances, feed_ids, strict=True)):
        copy = _copy(f"copy-{index}", f"{link}?utm_source=portal{index}")
        new = store.add_items(feed_id, [copy], now=NOW, max_age=timedelta(days=1))
        fresh.append(Fresh(new[0].id, copy, feed_id, f"Portal {index}"))
    indexes = [StoryIndex(store, DedupeConfig()) for store in instances]
    grouped = together(instances, lambda i, _store: indexes[i].group([fresh[i]], NOW))
    heads = [story.head.item_id for stories, _ in grouped for story in stories]
    assert len(heads) == 1
    assert sorted(duplicates for _, duplicates in grouped) == [0, 1]


def test_a_story_key_held_by_another_instance_makes_the_head_a_duplicate(instances):
    from bot.storage.stories import StoryCandidate

    first, second = instances
    feed_id = next(iter(first.feed_urls()))
    new = first.add_items(
        feed_id, [_copy("a", "https://a.example/1"), _copy("b", "https://b.example/1")],
        now=NOW, max_age=timedelta(days=1),
    )  # fmt: skip
    a, b = (item.id for item in new)
    since = NOW - timedelta(hours=48)
    mine = first.assign_stories(
        [StoryCandidate(a, a, None, None)], {a: ["k-url", "k-words"]}, now=NOW, since=since
    )
    # the other instance did not know: b is a head there, with one key in common
    theirs = second.assign_stories(
        [StoryCandidate(b, b, None, None)], {b: ["k-other", "k-words"]}, now=NOW, since=since
    )
    assert [s.story_id for s in mine] == [a]
    assert [s.story_id for s in theirs] == [a]
    # a key older than the window belongs to a forgotten story: taken over
    later = NOW + timedelta(hours=49)
    new = second.add_items(feed_id, [_copy("c", "https://c.example/1")], now=later,
                           max_age=timedelta(days=1))  # fmt: skip
    c = new[0].id
    again = second.assign_stories(
        [StoryCandidate(c, c, None, None)],
        {c: ["k-url"]},
        now=later,
        since=later - timedelta(hours=48),
    )
    assert [s.story_id for s in again] == [c]
