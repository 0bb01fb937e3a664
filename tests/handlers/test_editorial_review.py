"""Review before publishing, from Telegram: a review-mode channel gets nothing until ✅ Terbitkan;
❌ Tolak is recorded; /tinjau lists what waits; only admins decide, once."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.storage.tables import DeliveryRow
from tests.e2e.feeds import election_titles
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.handlers.harness import (
    ADMIN,
    CHANNELS,
    USER,
    Bot,
    button_texts,
    keyboard,
    make_config,
    settle,
)

FIRST, SECOND = CHANNELS  # FIRST reviews every post; SECOND takes them at once


@pytest.fixture
async def bot(tmp_path, api: FakeBotAPI, feeds: FeedServer) -> AsyncIterator[Bot]:
    channels = [
        {"chat_id": FIRST, "name": CHANNELS[FIRST], "mode": "review"},
        {"chat_id": SECOND, "name": CHANNELS[SECOND]},
    ]
    running = await Bot(api, make_config(tmp_path, feeds, api, channels=channels)).start()
    count = len(election_titles())
    await api.await_calls(count, 20, method="sendMessage", chat_id=SECOND, ok=True)
    await api.await_calls(2 * count, 20, method="sendMessage", chat_id=ADMIN, ok=True)
    yield running
    await running.stop()


def _announcements(bot: Bot) -> list[dict]:
    return [call for call in bot.sent_to(ADMIN) if keyboard(call)]


def _statuses(bot: Bot, item_id: int) -> set[str]:
    with bot.services.store.session() as session:
        query = select(DeliveryRow.status).where(DeliveryRow.item_id == item_id)
        return set(session.scalars(query))


async def test_publish_sends_to_the_channel_and_marks_the_announcement(bot: Bot):
    announcements = _announcements(bot)
    assert len(announcements) == len(election_titles())
    assert bot.sent_to(FIRST) == []  # nothing before Terbitkan
    first = announcements[0]
    assert button_texts(first) == ["✅ Terbitkan", "❌ Tolak"]
    publish, _ = keyboard(first)
    review_id = int(publish.rsplit(":", 1)[1])
    review = bot.services.store.review(review_id)
    assert review.status == "pending" and _statuses(bot, review.item_id) >= {"review"}

    await bot.press(publish, first["message_id"], user_id=USER, chat_id=ADMIN, replies=0)
    refusal = bot.api.calls(method="answerCallbackQuery")[-1]["params"]
    assert "hanya untuk admin" in refusal["text"]
    assert bot.services.store.review(review_id).status == "pending"

    await bot.press(publish, first["message_id"], replies=0)
    answer = bot.api.calls(method="answerCallbackQuery")[-1]["params"]
    assert f"#{review_id} diterbitkan" in answer["text"]
    sent = await bot.api.await_calls(1, 10, method="sendMessage", chat_id=FIRST, ok=True)
    assert sent[0]["text"] == review.html
    assert bot.services.store.review(review_id).status == "published"
    await settle(lambda: _statuses(bot, review.item_id) == {"sent"})
    await bot.api.await_calls(1, 10, method="editMessageText", chat_id=ADMIN, ok=True)
    (marked,) = [m for m in bot.api.messages(ADMIN) if m["message_id"] == first["message_id"]]
    assert "Diterbitkan oleh Tester" in marked["text"] and "reply_markup" not in marked

    await bot.press(publish, first["message_id"], replies=0)
    again = bot.api.calls(method="answerCallbackQuery")[-1]["params"]
    assert "sudah diputuskan: diterbitkan" in again["text"] and again["show_alert"]
    actions = [e.action for e in bot.services.store.audit_entries()]
    assert actions.count("review_publish") == 1


async def test_reject_records_it_and_the_channel_gets_nothing(bot: Bot):
    second = _announcements(bot)[1]
    _, reject = keyboard(second)
    review_id = int(reject.rsplit(":", 1)[1])
    await bot.press(reject, second["message_id"], replies=0)
    await bot.api.await_calls(1, 10, method="editMessageText", chat_id=ADMIN, ok=True)
    (marked,) = [m for m in bot.api.messages(ADMIN) if m["message_id"] == second["message_id"]]
    assert "Ditolak oleh Tester" in marked["text"]
    review = bot.services.store.review(review_id)
    assert review.status == "rejected" and _statuses(bot, review.item_id) == {"rejected", "sent"}
    await bot.ask("/tinjau", user_id=ADMIN, replies=1)  # a round trip after the decision
    assert bot.sent_to(FIRST) == []
    entry = bot.services.store.audit_entries()[0]
    assert entry.action == "review_reject" and f"review=#{review_id}" in entry.detail


async def test_tinjau_lists_pending_reviews_with_their_keyboards(bot: Bot):
    count = len(election_titles())
    head, *entries = await bot.ask("/tinjau", user_id=ADMIN, replies=count + 1)
    assert f"{count} berita menunggu tinjauan" in head["text"]
    assert len(entries) == count
    for entry in entries:
        assert "Tinjauan #" in entry["text"] and "kanal dalam mode tinjau" in entry["text"]
        assert f"Humas Kaltim ({FIRST})" in entry["text"]
        assert button_texts(entry) == ["✅ Terbitkan", "❌ Tolak"]
    publish, _ = keyboard(entries[0])
    await bot.press(publish, entries[0]["message_id"], replies=0)
    await bot.api.await_calls(1, 10, method="sendMessage", chat_id=FIRST, ok=True)
    head, *rest = await bot.ask("/review", user_id=ADMIN, replies=count, language_code="en")
    assert f"{count - 1} posts waiting for review" in head["text"]
    assert button_texts(rest[0]) == ["✅ Publish", "❌ Reject"]
    (refusal,) = await bot.ask("/tinjau")
    assert "hanya untuk admin" in refusal["text"]
