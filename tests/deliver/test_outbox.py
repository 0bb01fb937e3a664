"""The outbox against a local Bot API server: every error class, order, paid broadcasts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from telegram import Bot

from bot.deliver.pacer import Pacer
from bot.deliver.telegram import TelegramSink
from bot.notify import AdminNotifier
from bot.pipeline.outbox import DeliveryWorker, Outbox
from bot.settings import Config, TelegramConfig
from bot.storage import Store
from bot.storage.schema import DeliveryRow
from tests.deliver.outbox_support import channel_configs, queue_posts
from tests.deliver.support import CHANNEL, KICKED, NEW_SUPERGROUP, OLD_GROUP, TOKEN
from tests.fakes.bot_api import FakeBotAPI

ADMIN_CHAT = -1009999


@dataclass
class Env:
    fake: FakeBotAPI
    store: Store
    outbox: Outbox

    def texts(self, chat_id: int) -> list[str]:
        return [m.get("text") or m.get("caption") or "" for m in self.fake.messages(chat_id)]

    def rows(self) -> list[DeliveryRow]:
        with self.store.session() as session:
            return list(session.query(DeliveryRow).order_by(DeliveryRow.id))

    def log(self, chat_id: int) -> list[str]:
        return [outcome for _, outcome, _ in self.store.delivery_log(chat_id=chat_id)]


async def make_env(
    fake: FakeBotAPI, database: str, chats: list[int], **telegram: object
) -> AsyncIterator[Env]:
    fake.add_chat(ADMIN_CHAT, type="supergroup", title="Admin")
    config = Config(
        database=database,
        channels=channel_configs(chats),
        admin_chat_id=ADMIN_CHAT,
        telegram=TelegramConfig.model_validate({"retry_backoff": 0.2, **telegram}),
    )
    store = Store(config.database)
    store.sync_channels(config.channels)
    pacer = Pacer(global_per_second=1000, group_per_minute=1000, chat_per_second=100)
    async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as bot:
        sink = TelegramSink(bot)
        outbox = Outbox(config, store, sink, pacer, AdminNotifier(config, sink, pacer))
        outbox.quick_backoff = 0.01
        yield Env(fake, store, outbox)
    store.close()


@pytest.fixture
async def env(fake: FakeBotAPI, database_url) -> AsyncIterator[Env]:
    async for made in make_env(fake, database_url, [CHANNEL]):
        yield made


async def test_posts_go_once_each_in_publication_order_and_are_logged(env: Env) -> None:
    queue_posts(env.store, 4)
    report = await env.outbox.deliver()
    assert report.sent == 4
    assert [t.split("\n")[0] for t in env.texts(CHANNEL)] == [f"Berita {i}" for i in range(4)]
    assert {row.status for row in env.rows()} == {"sent"}
    assert all(row.message_id and row.claim_token is None for row in env.rows())
    assert env.log(CHANNEL) == ["sent"] * 4
    assert (await env.outbox.deliver()).sent == 0  # nothing is sent twice


async def test_a_429_is_waited_out_and_is_not_a_failure(env: Env) -> None:
    env.fake.script_fault("sendMessage", "429", retry_after=1)
    queue_posts(env.store, 1)
    report = await env.outbox.deliver()
    assert (report.sent, report.rate_limited) == (1, 1)
    [row] = env.rows()
    assert (row.status, row.attempts, row.rate_limited) == ("sent", 0, 1)
    assert env.log(CHANNEL) == ["rate_limited", "sent"]
    first, second = env.fake.calls("sendMessage")
    assert second["time"] - first["time"] >= 0.9


async def test_transient_errors_retry_then_back_off_across_passes(env: Env) -> None:
    env.fake.script_fault("sendMessage", "502", count=2)
    env.fake.script_fault("sendMessage", "drop")  # 1 try + 2 quick retries: all fail
    queue_posts(env.store, 2)
    report = await env.outbox.deliver()
    assert (report.sent, report.retry) == (0, 1)
    first = env.rows()[0]
    assert (first.status, first.attempts) == ("pending", 1)
    assert first.next_attempt_at is not None and first.last_error
    assert len(env.fake.calls("sendMessage")) == 3  # the second post waited behind the first
    assert (await env.outbox.deliver()).sent == 0  # not due yet
    await asyncio.sleep(await env.outbox.seconds_until_due(5.0))
    assert (await env.outbox.deliver()).sent == 2
    assert [t.split("\n")[0] for t in env.texts(CHANNEL)] == ["Berita 0", "Berita 1"]
    assert env.log(CHANNEL) == ["retry", "retry", "retry", "sent", "sent"]


async def test_transient_failures_give_up_after_max_attempts(fake, database_url) -> None:
    async for env in make_env(fake, database_url, [CHANNEL], max_attempts=1):
        env.fake.script_fault("sendMessage", "500", count=3)
        queue_posts(env.store, 2)
        report = await env.outbox.deliver()
        assert (report.failed, report.sent) == (0, 1)  # a failed post no longer holds back
        assert [row.status for row in env.rows()] == ["failed", "sent"]


async def test_html_rejected_goes_as_plain_text_once(env: Env) -> None:
    env.fake.script_fault("sendMessage", "400_parse")
    queue_posts(env.store, 1)
    assert (await env.outbox.deliver()).plain_text_fallback == 1
    [call_html, call_plain] = env.fake.calls("sendMessage")
    assert call_html["parse_mode"] == "HTML" and call_plain["parse_mode"] is None
    [row] = env.rows()
    assert row.status == "sent" and row.plain_text
    assert env.log(CHANNEL) == ["sent_plain"]


async def test_a_message_telegram_refuses_fails_alone(env: Env) -> None:
    env.fake.script_fault("sendMessage", "400", description="Bad Request: message is too long")
    queue_posts(env.store, 2)
    report = await env.outbox.deliver()
    assert (report.failed, report.sent) == (1, 1)
    assert [row.status for row in env.rows()] == ["failed", "sent"]
    assert (await env.outbox.deliver()).sent == 0  # a failed post is not retried
    assert env.log(CHANNEL) == ["failed", "sent"]


async def test_a_kicked_channel_is_deactivated_admins_told_once_and_resumes(
    fake, database_url
) -> None:
    async for env in make_env(fake, database_url, [KICKED, CHANNEL]):
        queue_posts(env.store, 2)
        report = await env.outbox.deliver()
        assert (report.channel_gone, report.sent) == (1, 2)
        assert len(env.fake.calls("sendMessage", chat_id=KICKED)) == 1
        [notice] = env.fake.messages(ADMIN_CHAT)
        assert str(KICKED) in notice["text"]
        await env.outbox.deliver()
        assert len(env.fake.calls("sendMessage", chat_id=KICKED)) == 1  # not tried again
        assert len(env.fake.messages(ADMIN_CHAT)) == 1  # told once
        env.fake.add_chat(KICKED, type="channel", kicked=False)  # the bot is back
        assert env.store.enable_channel(KICKED) is True
        assert (await env.outbox.deliver()).sent == 2
        assert [t.split("\n")[0] for t in env.texts(KICKED)] == ["Berita 0", "Berita 1"]
        assert env.log(KICKED) == ["deactivated", "channel_gone", "enabled", "sent", "sent"]


async def test_a_subscriber_who_blocked_the_bot_leaves_quietly(fake, database_url) -> None:
    reader = 777
    fake.add_chat(reader, type="private", first_name="Pembaca", blocked=True)
    async for env in make_env(fake, database_url, [CHANNEL]):
        assert env.store.subscribe(reader, "Pembaca", None) == "subscribed"
        queue_posts(env.store, 1)
        report = await env.outbox.deliver()
        assert (report.channel_gone, report.sent) == (1, 1)
        assert reader not in [int(c) for c in env.store.active_chat_ids()]
        assert env.fake.messages(ADMIN_CHAT) == []  # no admin notice for a reader who left


async def test_a_group_that_became_a_supergroup_is_followed(fake, database_url) -> None:
    async for env in make_env(fake, database_url, [OLD_GROUP]):
        queue_posts(env.store, 2, prefix="Awal")
        assert (await env.outbox.deliver()).sent == 2
        queue_posts(env.store, 1, prefix="Baru")
        assert (await env.outbox.deliver()).sent == 1
        assert len(env.fake.calls("sendMessage", chat_id=OLD_GROUP)) == 1
        texts = [t.split("\n")[0] for t in env.texts(NEW_SUPERGROUP)]
        assert texts == ["Awal 0", "Awal 1", "Baru 0"]
        assert str(NEW_SUPERGROUP) in {row.chat_id for row in env.store.channel_deliveries()}
        assert env.log(OLD_GROUP) == ["migrated"]


async def test_photo_with_caption_and_text_when_the_image_is_unusable(env: Env) -> None:
    queue_posts(env.store, 1, prefix="Foto", image="https://img.example/a.jpg", caption=True)
    env.fake.break_photo("https://img.example/b.jpg")
    queue_posts(env.store, 1, prefix="Rusak", image="https://img.example/b.jpg", caption=True)
    assert (await env.outbox.deliver()).sent == 2
    [photo] = env.fake.calls("sendPhoto", ok=True)
    assert photo["caption"] == "<b>Foto 0</b>"
    [text] = env.fake.calls("sendMessage", ok=True)
    assert text["text"].startswith("<b>Rusak 0</b>")


async def test_paid_broadcasts_say_so_and_raise_the_global_limit(fake, database_url) -> None:
    async for env in make_env(fake, database_url, [CHANNEL], allow_paid_broadcast=True):
        assert env.outbox.config.telegram.global_per_second == 1000
        queue_posts(env.store, 1)
        await env.outbox.deliver()
        [call] = env.fake.calls("sendMessage")
        assert call["params"]["allow_paid_broadcast"] is True


async def test_the_worker_sends_at_start_when_woken_and_releases_claims_on_stop(
    env: Env,
) -> None:
    queue_posts(env.store, 1, prefix="Awal")
    worker = DeliveryWorker(env.outbox, retry_every=30)
    worker.start()
    try:
        await env.fake.await_calls(1, 10, method="sendMessage", ok=True)
        queue_posts(env.store, 1, prefix="Baru")
        worker.wake()
        await env.fake.await_calls(2, 10, method="sendMessage", ok=True)
        # the fake records a call once answered: stop while the slow send is claimed, in flight
        env.fake.script_fault("sendMessage", "slow", seconds=5.0)
        queue_posts(env.store, 1, prefix="Lambat")
        worker.wake()
        deadline = asyncio.get_running_loop().time() + 10
        while env.rows()[-1].claim_token is None:
            assert asyncio.get_running_loop().time() < deadline, "the slow send was never claimed"
            await asyncio.sleep(0.01)
    finally:
        await worker.stop()
    last = env.rows()[-1]
    assert (last.status, last.claim_token) == ("pending", None)  # stopped mid-send: pending
    assert env.log(CHANNEL)[-1] == "requeued"


async def test_backoff_doubles_and_is_capped(env: Env) -> None:
    waits = [env.outbox.backoff(n).total_seconds() for n in (1, 2, 3)]
    assert waits == [0.2, 0.4, 0.8]
    assert env.outbox.backoff(40) == timedelta(minutes=15)
