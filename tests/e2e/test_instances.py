"""Two real `humasbot run` processes on one PostgreSQL database against the local Bot API server:
SIGKILLs during a broadcast lose nothing and double only what was in flight; when the holder of
the updates lease dies the other answers within 15 s; a schedule due during the take-over fires
once; each due feed is fetched once per interval."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from bot.storage import Store
from bot.storage.broadcasts import Draft
from tests.deliver.outbox_support import channel_configs, queue_posts
from tests.e2e.feeds import articles, rss
from tests.e2e.instances import Cluster, arrivals, can_fake_hosts, channel_ids, wait_until
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer

pytestmark = pytest.mark.slow

UPDATES, SCHEDULES = "updates", "scheduler"  # lease names (bot.roles)
ADMIN, USER = 42, 555
TAKE_OVER = 15.0  # seconds: the bound


def _settings(chats: list[int], **extra: Any) -> dict[str, Any]:
    return {
        "poll_tick": "1s",
        "admins": [ADMIN],
        "channels": [{"chat_id": chat} for chat in chats],
        "fetch": {"allow_private_addresses": True},
        "parse_workers": 0,
        **extra,
    }


@pytest.fixture
def make_cluster(tmp_path: Path, postgres_url: str) -> Iterator[Any]:
    made: list[Cluster] = []

    def make(api: FakeBotAPI, settings: dict[str, Any]) -> Cluster:
        cluster = Cluster(tmp_path, postgres_url, api, settings)
        made.append(cluster)
        return cluster

    yield make
    for cluster in made:
        cluster.stop()
        print(cluster.logs())  # shown when the test failed


def test_sigkills_during_a_broadcast_lose_nothing(make_cluster):
    chats = channel_ids(300)
    with FakeBotAPI(chats, limits=True) as api:
        cluster = make_cluster(api, _settings(chats))
        store = Store(cluster.database)
        store.sync_channels(channel_configs(chats))
        queue_posts(store, 1, prefix="Siaran")
        store.close()
        rng = random.Random(2024)
        cluster.start(), cluster.start()
        for kill in range(1, 4):
            moment = len(chats) * kill // 4 + rng.randrange(-25, 25)
            api.wait_for_calls(moment, 120, method="sendMessage", ok=True)
            cluster.kill(rng.choice(cluster.living()))
            cluster.start()
        wait_until(
            lambda: set(cluster.delivery_states().values()) == {"sent"}, 180, "broadcast done"
        )
        counts = arrivals(api, chats)
        assert [chat for chat in chats if counts[chat] == 0] == []
        duplicated = {chat for chat in chats if counts[chat] > 1}
        assert duplicated <= cluster.requeued_chats()  # only sends in flight at a kill
        assert len(duplicated) <= 3 * 16  # at most a claim's worth per kill


def _schedule(database: str, text: str, run_at: datetime) -> int:
    store = Store(database)
    draft = Draft(
        html=text,
        image=None,
        targets=None,
        run_at=run_at,
        repeat="once",
        content="text",
        timezone="Asia/Makassar",
        created_by=ADMIN,
        created_by_name="@admin",
        created_in=ADMIN,
    )
    broadcast_id = store.create_broadcast(draft, now=datetime.now(UTC))
    assert store.confirm_broadcast(broadcast_id) is not None
    store.close()
    return broadcast_id


def _answered(api: FakeBotAPI) -> int:
    return len(api.calls(method="sendMessage", chat_id=USER))


def _scheduled(api: FakeBotAPI, chat: int) -> int:
    sends = api.calls(method="sendMessage", chat_id=chat, ok=True)
    return sum(1 for call in sends if SCHEDULED in (call["text"] or ""))


SCHEDULED = "Jadwal saat alih tugas"


def _confirmed(api: FakeBotAPI) -> None:
    wait_until(lambda: not api.unconfirmed_updates(), 30, "updates confirmed")


def test_the_other_instance_takes_over_updates_schedules_and_feeds(make_cluster):
    chats = channel_ids(3)
    paths = [f"/feed/{i}.rss" for i in range(8)]
    with FakeBotAPI(chats, limits=True) as api, FeedServer() as feeds:
        for path in paths:
            feeds.set(path, rss(articles()[:2]), content_type="application/rss+xml")
        feed_list = [{"url": feeds.url + path, "interval": "1m"} for path in paths]
        cluster = make_cluster(api, _settings(chats, feeds=feed_list))
        # Each on a host of its own where possible: the others learn of a death by its lease.
        hosts = iter(["humas-a", "humas-b", "humas-c"] if can_fake_hosts() else [None] * 3)
        cluster.start(next(hosts)), cluster.start(next(hosts))

        # The updates holder dies: the other answers a command within 15 s, and only once.
        holder = wait_until(lambda: cluster.holder(UPDATES), 60, "an updates holder")
        wait_until(lambda: all(feeds.requests(p) for p in paths), 60, "the first feed checks")
        wait_until(lambda: cluster.feeds_in_check() == 0, 60, "the feed checks recorded")
        api.inject_update("/start", user_id=USER)
        api.wait_for_calls(1, 30, method="sendMessage", chat_id=USER)
        _confirmed(api)  # an update in flight at a kill comes again, as from Telegram
        cluster.kill(holder)
        killed = time.monotonic()
        api.inject_update("/bantuan", user_id=USER)
        api.wait_for_calls(2, TAKE_OVER + 10, method="sendMessage", chat_id=USER)
        assert time.monotonic() - killed <= TAKE_OVER
        cluster.start(next(hosts))

        # The schedules holder dies just before a schedule is due: it fires once, late.
        holder = wait_until(lambda: cluster.holder(SCHEDULES), 60, "a schedules holder")
        run_at = datetime.now(UTC) + timedelta(seconds=8)
        _schedule(cluster.database, SCHEDULED, run_at)  # the holder picks it up as it renews
        time.sleep(5)
        _confirmed(api)
        cluster.kill(holder)
        wait_until(lambda: all(_scheduled(api, chat) for chat in chats), 60, "the schedule")
        api.inject_update("/start", user_id=USER)  # a round trip before counting
        api.wait_for_calls(3, 30, method="sendMessage", chat_id=USER)
        time.sleep(1)  # a second answer or a second run would have come by now
        answers = [c["text"][:40] for c in api.calls(method="sendMessage", chat_id=USER)]
        assert len(answers) == 3, answers
        assert [_scheduled(api, chat) for chat in chats] == [1] * len(chats)

        # Each due feed was fetched once per interval, whoever held it and whoever died.
        for path in paths:
            times = [request.at for request in feeds.requests(path)]
            assert times, path
            assert all(b - a >= 55 for a, b in pairwise(times)), path
