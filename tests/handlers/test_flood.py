"""A hostile user and a hostile chat: commands posted in a channel get no answer, one user's
flood is answered with one polite notice and then silence, a 429 is never answered, and an
admin is answered meanwhile."""

from __future__ import annotations

import time

from bot.deliver.pacer import Pacer
from bot.deliver.replies import ReplyQueue
from bot.models import Post
from bot.ratelimit import LIMIT, CommandLimiter, Verdict
from tests.handlers.harness import ADMIN, CHANNELS, USER, Bot, settle
from tests.pipeline.support import RecordingSink

FIRST = next(iter(CHANNELS))
TOO_MANY = "terlalu banyak permintaan"


def _channel_post(update_id: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "channel_post": {
            "message_id": 900 + update_id,
            "date": int(time.time()),
            "chat": {"id": FIRST, "type": "channel", "title": CHANNELS[FIRST]},
            "sender_chat": {"id": FIRST, "type": "channel", "title": CHANNELS[FIRST]},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }


async def test_commands_posted_in_a_channel_are_ignored(bot: Bot):
    before = len(bot.api.calls(chat_id=FIRST))
    for number, text in enumerate(["/start", "/terbaru 3", "/cari pemilu", "/tidakada"]):
        await bot.feed(_channel_post(10_000 + number, text))
    await bot.ask("/start")  # a round trip: the channel posts were handled before
    assert len(bot.api.calls(chat_id=FIRST)) == before


async def test_a_flood_gets_one_notice_then_silence_and_admins_still_work(bot: Bot):
    clock = [0.0]
    bot.services.limiter = CommandLimiter(limit=3, window=60, clock=lambda: clock[0])
    replies = await bot.ask("/start", replies=1)
    for _ in range(2):
        replies += await bot.ask("/topik", replies=1)
    replies += await bot.ask("/start", replies=1)
    assert TOO_MANY in replies[-1]["text"] and all(TOO_MANY not in r["text"] for r in replies[:3])
    before = len(bot.sent_to(USER))
    for _ in range(20):
        bot.api.inject_update("/start", user_id=USER)
    (status,) = await bot.ask("/status", user_id=ADMIN)  # admins are not limited
    assert "Status humasbot" in status["text"]
    await bot.ask("/status", user_id=ADMIN)  # a second round trip for the flood's tail
    assert len(bot.sent_to(USER)) == before  # silence after the one notice

    clock[0] = 61.0  # the window has passed
    (again,) = await bot.ask("/start")
    assert "Halo" in again["text"]


def test_the_limiter_counts_per_user_within_the_window():
    now = [0.0]
    limiter = CommandLimiter(limit=2, window=10, clock=lambda: now[0])
    assert [limiter.check(1) for _ in range(4)] == [
        Verdict.ADMIT,
        Verdict.ADMIT,
        Verdict.WARN,
        Verdict.DROP,
    ]
    assert limiter.check(2) is Verdict.ADMIT
    now[0] = 10.5
    assert limiter.check(1) is Verdict.ADMIT
    assert LIMIT >= 5  # room for a person paging through /cari


async def test_a_429_is_not_answered_with_another_message(bot: Bot):
    bot.api.script_fault("sendMessage", "429", retry_after=1)
    before = len(bot.sent_to(USER))
    bot.api.inject_update("/start", user_id=USER)
    refused = await bot.api.await_calls(1, 10, method="sendMessage", chat_id=USER, status=429)
    assert refused
    (answer,) = await bot.ask("/topik")
    sent = bot.sent_to(USER)[before:]
    assert [c["status"] for c in sent] == [429, 200] and sent[-1] == answer
    assert all("gangguan" not in (c["text"] or "") for c in sent)


async def test_latest_goes_through_the_chat_queue(bot: Bot):
    before = len(bot.sent_to(USER))
    replies = await bot.ask("/terbaru 3", replies=3)
    assert len(replies) == 3 and len(bot.sent_to(USER)) == before + 3
    await settle(lambda: bot.services.replies.waiting(USER) == 0)


async def test_a_chat_has_only_so_many_posts_waiting():
    sink = RecordingSink()
    queue = ReplyQueue(sink, Pacer(chat_per_second=1000, group_per_minute=1000), max_waiting=4)
    posts = [Post(html=f"berita {i}") for i in range(3)]
    assert queue.submit(USER, posts)
    assert not queue.submit(USER, posts)  # 6 would wait: refused whole, nothing half-queued
    await settle(lambda: queue.waiting(USER) == 0)
    assert [post.html for post in sink.to(USER)] == ["berita 0", "berita 1", "berita 2"]
    assert queue.submit(USER, posts)  # room again
    await queue.close()
