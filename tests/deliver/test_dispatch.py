from __future__ import annotations

import io
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot

from bot.deliver.dispatch import send_all
from bot.deliver.pacer import Pacer
from bot.deliver.sink import ConsoleSink
from bot.deliver.telegram import TelegramSink
from bot.models import DeliveryJob, Post, SendOutcome
from tests.deliver.support import CHANNEL, KICKED, NEW_SUPERGROUP, OLD_GROUP, TOKEN
from tests.fakes.bot_api import FakeBotAPI, Limits

CHANNELS = [-1002000000001, -1002000000002, -1002000000003]
# Telegram's limits with the per-group window shrunk from 60 s to 4 s (and 10/s per chat, a
# third of the 30/s overall each), so three channels x 25 posts cross a full group window.
FAST = Limits(
    global_per_second=30, group_per_window=20, group_window=4.0, chat_per_second=10, chat_burst=3
)


def fast_pacer() -> Pacer:
    return Pacer(global_per_second=30, group_per_minute=20, group_window=4.0, chat_per_second=10)


def jobs_for(chats: list[int], count: int) -> list[DeliveryJob]:
    return [
        DeliveryJob(delivery_id=i, chat_id=chats[i % len(chats)], post=Post(f"<b>Berita</b> {i}"))
        for i in range(count)
    ]


class Recorder:
    def __init__(self) -> None:
        self.outcomes: list[tuple[DeliveryJob, SendOutcome]] = []

    async def __call__(self, job: DeliveryJob, outcome: SendOutcome) -> None:
        self.outcomes.append((job, outcome))

    def statuses(self) -> list[tuple[int, int | str, str]]:
        return [(job.delivery_id, job.chat_id, out.status) for job, out in self.outcomes]


async def start(fake: FakeBotAPI) -> AsyncIterator[TelegramSink]:
    async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as bot:
        yield TelegramSink(bot)


@pytest.fixture
def limited() -> Iterator[FakeBotAPI]:
    server = FakeBotAPI({c: {"type": "channel"} for c in CHANNELS}, limits=FAST).start()
    yield server
    server.stop()


@pytest.fixture
async def sink(fake: FakeBotAPI) -> AsyncIterator[TelegramSink]:
    async for started in start(fake):
        yield started


async def test_posts_to_three_channels_use_each_window_in_full(limited: FakeBotAPI) -> None:
    recorder = Recorder()
    async for sink in start(limited):
        report = await send_all(jobs_for(CHANNELS, 75), sink, fast_pacer(), recorder)
    assert report.sent == 75 and report.rate_limited == 0
    assert not limited.calls(status=429)
    for index, chat in enumerate(CHANNELS):
        texts = [m["text"] for m in limited.messages(chat)]
        assert texts == [f"Berita {i}" for i in range(index, 75, 3)]  # per-channel order
        times = [c["time"] for c in limited.calls(method="sendMessage", chat_id=chat)]
        # 20 of a channel's 25 posts go in its first 4 s window (in about 2 s at 10/s); the
        # 21st waits for the window to move on, and not longer
        assert times[19] - times[0] < 3.9 < times[20] - times[0] < 5.5
    assert report.elapsed < 8.0


async def test_telegram_default_limits_without_a_429() -> None:
    chats = [-1003000000000 - i for i in range(10)]
    with FakeBotAPI({c: {} for c in chats}, limits=True) as server:
        async for sink in start(server):
            started = time.monotonic()
            report = await send_all(jobs_for(chats, 40), sink, Pacer(), Recorder())
            elapsed = time.monotonic() - started
    assert report.sent == 40 and report.rate_limited == 0 and not server.calls(status=429)
    assert elapsed > 1.0  # 30/s overall, and a chat's 4th post waits for 1/s after a burst of 3


async def test_a_429_is_retried_and_delivered_once(fake: FakeBotAPI, sink: TelegramSink) -> None:
    fake.script_fault("sendMessage", "429", retry_after=1)
    recorder = Recorder()
    report = await send_all(jobs_for([CHANNEL], 3), sink, Pacer(chat_per_second=100), recorder)
    assert (report.sent, report.rate_limited, report.retry, report.failed) == (3, 1, 0, 0)
    assert recorder.statuses() == [(0, CHANNEL, "sent"), (1, CHANNEL, "sent"), (2, CHANNEL, "sent")]
    assert [m["text"] for m in fake.messages(CHANNEL)] == ["Berita 0", "Berita 1", "Berita 2"]
    first, retried = fake.calls("sendMessage")[:2]
    assert first["status"] == 429 and retried["time"] - first["time"] >= 0.9


async def test_channel_gone_skips_the_rest_of_that_chat(
    fake: FakeBotAPI, sink: TelegramSink
) -> None:
    recorder = Recorder()
    report = await send_all(
        jobs_for([KICKED, CHANNEL], 6), sink, Pacer(chat_per_second=100), recorder
    )
    assert sorted(recorder.statuses()) == [  # chats run concurrently: sort across them
        (0, KICKED, "channel_gone"),
        (1, CHANNEL, "sent"),
        (3, CHANNEL, "sent"),
        (5, CHANNEL, "sent"),
    ]
    assert (report.channel_gone, report.skipped, report.skipped_ids) == (1, 2, [2, 4])
    assert len(fake.calls("sendMessage", chat_id=KICKED)) == 1


async def test_migration_is_reported_and_followed(fake: FakeBotAPI, sink: TelegramSink) -> None:
    recorder = Recorder()
    report = await send_all(jobs_for([OLD_GROUP], 2), sink, Pacer(chat_per_second=100), recorder)
    assert recorder.statuses() == [
        (0, OLD_GROUP, "migrated"),
        (0, NEW_SUPERGROUP, "sent"),
        (1, NEW_SUPERGROUP, "sent"),
    ]
    assert recorder.outcomes[0][1].new_chat_id == NEW_SUPERGROUP
    assert (report.migrated, report.sent) == (1, 2)
    assert len(fake.calls("sendMessage", chat_id=OLD_GROUP)) == 1


async def test_transient_errors_retry_with_backoff_then_give_up(
    fake: FakeBotAPI, sink: TelegramSink
) -> None:
    fake.script_fault("sendMessage", "502", count=3)  # job 0: 1 try + 2 retries, all 502
    fake.script_fault("sendMessage", "drop")  # job 1: dropped once, delivered on retry
    recorder = Recorder()
    report = await send_all(
        jobs_for([CHANNEL], 2), sink, Pacer(chat_per_second=100), recorder, backoff=0.01
    )
    assert recorder.statuses() == [(0, CHANNEL, "retry"), (1, CHANNEL, "sent")]
    assert (report.retry, report.sent, report.failed) == (1, 1, 0)
    assert [c["status"] for c in fake.calls("sendMessage")] == [502, 502, 502, 0, 200]


async def test_an_outbox_error_stops_the_dispatch(fake: FakeBotAPI, sink: TelegramSink) -> None:
    async def broken_outbox(job: DeliveryJob, outcome: SendOutcome) -> None:
        raise RuntimeError("database is locked")

    with pytest.raises(RuntimeError, match="database is locked"):
        await send_all(jobs_for([CHANNEL], 3), sink, Pacer(chat_per_second=100), broken_outbox)
    assert len(fake.calls("sendMessage")) == 1


async def test_console_sink_prints_each_post_per_channel() -> None:
    stream = io.StringIO()
    jobs = [
        DeliveryJob(1, "@humas_a", Post("<b>KPU</b> rapat")),
        DeliveryJob(2, "@humas_b", Post("teks", image="https://x.id/f.jpg", caption="<i>cap</i>")),
        DeliveryJob(3, "@humas_a", Post("<b>Bawaslu</b> awasi")),
    ]
    recorder = Recorder()
    report = await send_all(jobs, ConsoleSink(stream), Pacer(chat_per_second=100), recorder)
    out = stream.getvalue()
    assert report.sent == 3
    assert "── @humas_a · #1 · sendMessage (HTML) ──\n<b>KPU</b> rapat\n" in out
    assert "── @humas_a · #2 · sendMessage (HTML) ──\n<b>Bawaslu</b> awasi\n" in out
    assert "[foto] https://x.id/f.jpg\n<i>cap</i>\n" in out
    assert sorted(o.message_id or 0 for _, o in recorder.outcomes) == [1, 1, 2]
