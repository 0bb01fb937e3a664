"""The outbox table: atomic claims, order per channel, backoff, recovery, the delivery log."""

from __future__ import annotations

import os
import socket
import threading
from datetime import UTC, datetime, timedelta

import pytest

from bot.deliver.claims import new_worker_token, worker_is_dead
from bot.models import SendOutcome
from bot.storage import Store
from tests.deliver.outbox_support import channel_configs, queue_posts

NOW = datetime.now(UTC)
CHATS = [-1001100000000 - i for i in range(3)]
HOST = socket.gethostname()


@pytest.fixture
def database(database_url) -> str:
    return database_url


@pytest.fixture
def store(database):
    store = Store(database)
    store.sync_channels(channel_configs(CHATS))
    yield store
    store.close()


def sent(store: Store, job, message_id: int = 1) -> str:
    return store.record_outcome(
        job, SendOutcome("sent", message_id=message_id), now=NOW, max_attempts=3
    )


def test_two_workers_claiming_at_once_never_get_the_same_row(database):
    setup = Store(database)
    setup.sync_channels(channel_configs([-1001200000000 - i for i in range(120)]))
    queue_posts(setup, 2)
    setup.close()
    stores = [Store(database), Store(database)]  # two engines: two connections, like processes
    claimed: list[list[int]] = [[], []]
    empty = [False, False]
    together = threading.Barrier(2)

    def work(index: int) -> None:
        store, token = stores[index], f"{HOST}:{os.getpid()}:w{index}"
        while True:
            together.wait()  # both claim at the same moment, every round
            jobs = store.claim_jobs(token, now=NOW, limit=3)
            claimed[index].extend(job.delivery_id for job in jobs)
            for job in jobs:
                sent(store, job)
            empty[index] = not jobs
            together.wait()
            if all(empty):
                return

    threads = [threading.Thread(target=work, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for store in stores:
        store.close()
    assert not set(claimed[0]) & set(claimed[1])
    assert len(claimed[0]) + len(claimed[1]) == 240
    assert claimed[0] and claimed[1]  # both really took part


def test_only_the_oldest_open_post_of_a_channel_can_be_claimed(store):
    queue_posts(store, 3)
    first = store.claim_jobs("w:1:a", now=NOW, limit=10)
    assert [job.post.html.split("</b>")[0] for job in first] == ["<b>Berita 0"] * 3
    assert store.claim_jobs("w:1:b", now=NOW, limit=10) == []  # each channel is busy
    for job in first:
        sent(store, job)
    second = store.claim_jobs("w:1:a", now=NOW, limit=10)
    assert {job.post.html.split("</b>")[0] for job in second} == {"<b>Berita 1"}


def test_a_transient_failure_backs_off_and_holds_back_the_channel(store):
    queue_posts(store, 2)
    job = next(j for j in store.claim_jobs("w:1:a", now=NOW, limit=1))
    status = store.record_outcome(
        job,
        SendOutcome("retry", error="NetworkError: 502"),
        now=NOW,
        max_attempts=3,
        backoff=lambda attempts: timedelta(seconds=10 * attempts),
    )
    assert status == "pending"
    claimable = store.claim_jobs("w:1:a", now=NOW, limit=10)
    assert job.chat_id not in {j.chat_id for j in claimable}  # its next post waits behind it
    assert store.next_attempt_due(NOW) == NOW + timedelta(seconds=10)
    later = store.claim_jobs("w:1:a", now=NOW + timedelta(seconds=11), limit=10)
    assert [j.delivery_id for j in later] == [job.delivery_id]


def test_429_waits_without_counting_and_transients_fail_at_the_limit(store):
    queue_posts(store, 1)
    [job, *_] = store.claim_jobs("w:1:a", now=NOW, limit=1)
    limited = SendOutcome("retry", error="RetryAfter", retry_after=7, rate_limited=True)
    assert store.record_outcome(job, limited, now=NOW, max_attempts=2) == "pending"
    early = store.claim_jobs("w:1:b", now=NOW + timedelta(seconds=6), limit=3)
    assert job.delivery_id not in {j.delivery_id for j in early}
    [due] = store.claim_jobs("w:1:b", now=NOW + timedelta(seconds=8), limit=3)
    assert due.delivery_id == job.delivery_id and due.attempts == 0  # a 429 is no attempt
    transient = SendOutcome("retry", error="TimedOut")
    assert store.record_outcome(job, transient, now=NOW, max_attempts=2) == "pending"
    assert store.record_outcome(job, transient, now=NOW, max_attempts=2) == "failed"
    assert [o for _, o, _ in store.delivery_log(job.delivery_id)] == [
        "rate_limited",
        "retry",
        "retry",
    ]


def test_a_confirmed_send_is_never_undone_by_a_late_answer(store):
    queue_posts(store, 1)
    [job, *_] = store.claim_jobs("w:1:a", now=NOW, limit=1)
    assert sent(store, job) == "sent"
    late = SendOutcome("retry", error="TimedOut")
    assert store.record_outcome(job, late, now=NOW, max_attempts=1) == "sent"
    assert job.delivery_id not in {
        j.delivery_id for j in store.claim_jobs("x:1:a", now=NOW, limit=9)
    }


def test_claims_of_a_dead_worker_go_back_at_once_and_a_live_ones_stay(store):
    queue_posts(store, 1)
    dead_token = f"{HOST}:999999999:dead"  # no such pid
    live_token = f"{HOST}:{os.getppid()}:live"  # our parent: alive
    dead = store.claim_jobs(dead_token, now=NOW, limit=2)
    live = store.claim_jobs(live_token, now=NOW, limit=5)
    me = new_worker_token()

    def is_dead(token: str, idle: timedelta) -> bool:
        return worker_is_dead(token, idle, lease=timedelta(seconds=60), me=me)

    assert store.release_claims(now=NOW, dead=is_dead) == len(dead) == 2
    again = store.claim_jobs(me, now=NOW, limit=5)
    assert {j.delivery_id for j in again} == {j.delivery_id for j in dead}
    assert all(store.delivery_log(j.delivery_id)[-1][1] == "requeued" for j in dead)
    # A live worker silent for longer than the lease is taken as dead too.
    assert worker_is_dead(live_token, timedelta(seconds=61), lease=timedelta(seconds=60), me=me)
    store.renew_claims(live_token, now=NOW)
    assert store.release_claims(now=NOW, dead=is_dead) == 0
    assert len(live) == 1


def test_a_restarted_process_with_the_same_pid_frees_its_predecessors_claims():
    same_pid = f"{HOST}:{os.getpid()}:before"
    me = f"{HOST}:{os.getpid()}:after"
    lease, fresh = timedelta(seconds=60), timedelta(0)
    assert worker_is_dead(same_pid, fresh, lease=lease, me=me)
    assert not worker_is_dead(me, fresh, lease=lease, me=me)
    elsewhere = "another-host:1:abc"
    assert not worker_is_dead(elsewhere, fresh, lease=lease, me=me)


def test_a_new_sender_takes_back_at_once_what_older_senders_claimed(store):
    queue_posts(store, 1)
    # Senders on other hosts (no pid to look at), each under its generation of the sender lease.
    old = store.claim_jobs("far-a:1:a", now=NOW, limit=1, lease=1)
    older = store.claim_jobs("far-b:1:b", now=NOW, limit=1, lease=2)
    outside = store.claim_jobs("far-c:1:c", now=NOW, limit=1)  # poll --once: no lease
    assert store.release_superseded_claims(3, now=NOW) == 2
    again = store.claim_jobs("far-d:1:d", now=NOW, limit=5, lease=3)
    assert {j.delivery_id for j in again} == {j.delivery_id for j in old + older}
    assert store.delivery_log(old[0].delivery_id)[-1] == (
        str(old[0].chat_id),
        "requeued",
        "sender replaced",
    )
    # its own claims, and those made outside the role, stay where they are
    assert store.release_superseded_claims(3, now=NOW) == 0
    assert store.delivery_counts()[str(outside[0].chat_id)] == {"sending": 1}


def test_a_claims_age_is_on_the_servers_clock_whatever_the_hosts_say(database, store):
    if database.startswith("sqlite"):
        pytest.skip("SQLite is one host: its claims are on the caller's clock")
    queue_posts(store, 1)
    ahead, behind = NOW + timedelta(hours=1), NOW - timedelta(hours=1)
    assert store.claim_jobs("far-a:1:a", now=behind, limit=1)  # a host an hour behind
    idle: list[timedelta] = []

    def is_dead(token: str, since: timedelta) -> bool:
        idle.append(since)
        return worker_is_dead(token, since, lease=timedelta(seconds=60), me="far-b:1:b")

    # a host an hour ahead sees a claim made a moment ago, not two hours ago
    assert store.release_claims(now=ahead, dead=is_dead) == 0
    assert timedelta(0) <= idle[0] < timedelta(seconds=5)


def test_a_gone_channel_is_deactivated_once_and_resumes_when_enabled(database, store):
    queue_posts(store, 2)
    other = Store(database)  # another process noticing the same 403
    chat = CHATS[0]
    assert store.deactivate_channel(chat, "Forbidden: bot was kicked") is True
    assert other.deactivate_channel(chat, "Forbidden: bot was kicked") is False
    other.close()
    assert chat not in {j.chat_id for j in store.claim_jobs("w:1:a", now=NOW, limit=10)}
    assert store.enable_channel(chat) is True
    assert store.enable_channel(chat) is False
    assert store.enable_channel(-42) is None
    [job] = store.claim_jobs("w:1:a", now=NOW, limit=10)
    assert job.chat_id == chat and "Berita 0" in job.post.html
    outcomes = [o for c, o, _ in store.delivery_log(chat_id=chat)]
    assert outcomes == ["deactivated", "enabled"]


def test_channel_deliveries_report_counts_and_last_error(store):
    queue_posts(store, 2)
    jobs = store.claim_jobs("w:1:a", now=NOW, limit=3)
    by_chat = {job.chat_id: job for job in jobs}
    sent(store, by_chat[CHATS[0]])
    failed = SendOutcome("failed", error="BadRequest: message is too long")
    store.record_outcome(by_chat[CHATS[1]], failed, now=NOW, max_attempts=3)
    store.deactivate_channel(CHATS[2], "Forbidden: bot was kicked")
    report = {row.chat_id: row for row in store.channel_deliveries()}
    first, second, third = (report[str(chat)] for chat in CHATS)
    assert (first.sent, first.pending, first.failed, first.last_error) == (1, 1, 0, None)
    assert first.last_success is not None
    assert (second.sent, second.pending, second.failed) == (0, 1, 1)
    assert second.last_error == "BadRequest: message is too long"
    assert (third.active, third.pending, third.inactive_reason) == (
        False,
        2,
        "Forbidden: bot was kicked",
    )
