"""A restart mid-flood: the new process's pacer learns from the delivery log what went out in
the last window, so it draws no 429 from a Bot API server that remembers every send."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from telegram import Bot

from bot.deliver.pacer import Pacer
from bot.deliver.telegram import TelegramSink
from bot.models import SendOutcome
from bot.notify import AdminNotifier
from bot.pipeline.outbox import Outbox
from bot.settings import Config
from bot.storage import Store
from tests.deliver.outbox_support import channel_configs, queue_posts
from tests.deliver.support import TOKEN
from tests.fakes.bot_api import FakeBotAPI, Limits

CHANNEL = -1004000000001
WINDOW = 2.0  # the per-channel window, shrunk from 60 s: 5 posts in any 2 s
LIMITS = Limits(group_per_window=5, group_window=WINDOW, chat_per_second=100, chat_burst=100)


def fresh_pacer() -> Pacer:
    return Pacer(group_per_minute=5, group_window=WINDOW, chat_per_second=100, chat_burst=100)


@pytest.fixture
def server() -> Iterator[FakeBotAPI]:
    with FakeBotAPI({CHANNEL: {"type": "channel"}}, limits=LIMITS) as fake:
        yield fake


def open_store(tmp_path) -> tuple[Config, Store]:
    database = f"sqlite:///{tmp_path / 'bot.db'}"
    config = Config(database=database, channels=channel_configs([CHANNEL]))
    store = Store(config.database)
    store.sync_channels(config.channels)
    return config, store


async def deliver_once(config: Config, store: Store, server: FakeBotAPI, pacer: Pacer) -> int:
    """One process's life: a new outbox (and pacer) delivering what is due, then gone."""
    async with Bot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url) as bot:
        sink = TelegramSink(bot)
        outbox = Outbox(config, store, sink, pacer, AdminNotifier(config, sink, pacer))
        return (await outbox.deliver()).sent


async def test_a_restarted_process_keeps_to_the_window_the_last_one_filled(
    server: FakeBotAPI, tmp_path
) -> None:
    config, store = open_store(tmp_path)
    now = datetime.now(UTC)
    queue_posts(store, 5, prefix="Awal", now=now - timedelta(minutes=1))
    assert await deliver_once(config, store, server, fresh_pacer()) == 5  # the window is full

    queue_posts(store, 3, prefix="Lanjut", now=now)
    restarted = fresh_pacer()
    started = time.monotonic()
    assert await deliver_once(config, store, server, restarted) == 3
    assert not server.calls(status=429)
    assert time.monotonic() - started > WINDOW / 2  # it waited for the window to move on
    texts = [m["text"].split("\n")[0] for m in server.messages(CHANNEL)]
    assert texts == [f"Awal {i}" for i in range(5)] + [f"Lanjut {i}" for i in range(3)]
    store.close()


def test_the_log_query_returns_sends_that_may_have_reached_telegram(tmp_path) -> None:
    _, store = open_store(tmp_path)
    now = datetime.now(UTC)
    queue_posts(store, 4, now=now)
    jobs = store.claim_jobs("w", now=now, limit=10)
    outcomes = [
        SendOutcome(status="sent", message_id=1),
        SendOutcome(status="retry", error="answer lost"),
        SendOutcome(status="retry", error="429", retry_after=3, rate_limited=True),
    ]
    for second, outcome in enumerate(outcomes):
        store.log_attempt(jobs[0], outcome, now=now + timedelta(seconds=second), worker="w")
    log = store.recent_send_log(now - timedelta(seconds=60))
    assert log == [(CHANNEL, now), (CHANNEL, now + timedelta(seconds=1))]  # not the 429
    assert store.recent_send_log(now + timedelta(seconds=0.5)) == [log[1]]
    store.close()
