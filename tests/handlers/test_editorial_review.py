"""Review before publishing, from Telegram: a review-mode channel gets nothing until ✅ Terbitkan;
❌ Tolak is recorded; /tinjau lists what waits; only admins decide, once."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.storage.schema import DeliveryRow
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
    await api.await_calls(1, 20, method="sendMessage", chat_id=ADMIN, ok=True)  # one summary
    yield running
    await running.stop()


def _announcements(bot: Bot) -> list[dict]:
    return [call for call in bot.sent_to(ADMIN) if keyboard(call)]


async def _open_pager(bot: Bot) -> dict:
    """Press 🔎 Tinjau under the summary: the message becomes the first review."""
    (summary,) = _announcements(bot)
    edits = len(bot.api.calls(method="editMessageText", chat_id=ADMIN))
    await bot.press(keyboard(summary)[0], summary["message_id"], replies=0)
    return (await bot.api.await_calls(edits + 1, 10, method="editMessageText", chat_id=ADMIN))[-1]


def _statuses(bot: Bot, item_id: int) -> set[str]:
    with bot.services.store.session() as session:
        query = select(DeliveryRow.status).where(DeliveryRow.item_id == item_id)
        return set(session.scalars(query))


async def test_one_summary_for_a_cycle_then_publish_from_the_pager(bot: Bot):
    count = len(election_titles())
    (summary,) = _announcements(bot)
    assert f"{count} berita menunggu tinjauan" in summary["text"]
    assert button_texts(summary) == ["🔎 Tinjau"]
    assert len(bot.sent_to(ADMIN)) == 1 and bot.sent_to(FIRST) == []  # nothing before Terbitkan
    page = await _open_pager(bot)
    assert f"1/{count}" in page["text"] and "kanal dalam mode tinjau" in page["text"]
    assert CHANNELS[FIRST] in page["text"] and str(FIRST) not in page["text"]  # named, no id
    assert button_texts(page)[:2] == ["✅ Terbitkan", "❌ Tolak"]
    publish = keyboard(page)[0]
    review_id = int(publish.split(":")[2])
    review = bot.services.store.review(review_id)
    assert review.status == "pending" and _statuses(bot, review.item_id) >= {"review"}
    assert review.html in page["text"]  # the post as it will appear

    await bot.press(publish, summary["message_id"], user_id=USER, chat_id=ADMIN, replies=0)
    refusal = bot.api.calls(method="answerCallbackQuery")[-1]["params"]
    assert "hanya untuk admin" in refusal["text"]
    assert bot.services.store.review(review_id).status == "pending"

    edits = len(bot.api.calls(method="editMessageText", chat_id=ADMIN))
    await bot.press(publish, summary["message_id"], replies=0)
    answer = bot.api.calls(method="answerCallbackQuery")[-1]["params"]
    assert f"#{review_id} diterbitkan" in answer["text"]
    sent = await bot.api.await_calls(1, 10, method="sendMessage", chat_id=FIRST, ok=True)
    assert sent[0]["text"] == review.html
    assert bot.services.store.review(review_id).status == "published"
    await settle(lambda: _statuses(bot, review.item_id) == {"sent"})
    nxt = (await bot.api.await_calls(edits + 1, 10, method="editMessageText", chat_id=ADMIN))[-1]
    assert "Diterbitkan oleh Tester" in nxt["text"] and f"1/{count - 1}" in nxt["text"]

    await bot.press(publish, summary["message_id"], replies=0)
    again = bot.api.calls(method="answerCallbackQuery")[-1]["params"]
    assert "sudah diputuskan: diterbitkan" in again["text"] and again["show_alert"]
    actions = [e.action for e in bot.services.store.audit_entries()]
    assert actions.count("review_publish") == 1


async def test_reject_records_it_and_the_channel_gets_nothing(bot: Bot):
    page = await _open_pager(bot)
    _, reject = keyboard(page)[:2]
    review_id = int(reject.split(":")[2])
    await bot.press(reject, page["message_id"], replies=0)
    await settle(lambda: bot.services.store.review(review_id).status == "rejected")
    review = bot.services.store.review(review_id)
    assert _statuses(bot, review.item_id) == {"rejected", "sent"}
    await bot.ask("/tinjau", user_id=ADMIN, replies=1)  # a round trip after the decision
    assert bot.sent_to(FIRST) == []
    entry = bot.services.store.audit_entries()[0]
    assert entry.action == "review_reject" and f"review=#{review_id}" in entry.detail


async def test_tinjau_answers_in_one_message_paged(bot: Bot):
    count = len(election_titles())
    (first,) = await bot.ask("/tinjau", user_id=ADMIN)
    assert f"{count} berita menunggu tinjauan" in first["text"] and f"1/{count}" in first["text"]
    assert button_texts(first) == ["✅ Terbitkan", "❌ Tolak", f"1/{count}", "▶"]
    message_id = bot.api.messages(ADMIN)[-1]["message_id"]
    edits = len(bot.api.calls(method="editMessageText", chat_id=ADMIN))
    await bot.press(keyboard(first)[-1], message_id, replies=0)
    second = (await bot.api.await_calls(edits + 1, 10, method="editMessageText"))[-1]
    assert f"2/{count}" in second["text"] and "◀" in button_texts(second)
    (english,) = await bot.ask("/review", user_id=ADMIN, language_code="en")
    assert f"{count} posts waiting for review" in english["text"]
    assert button_texts(english)[:2] == ["✅ Publish", "❌ Reject"]
    (refusal,) = await bot.ask("/tinjau")
    assert "hanya untuk admin" in refusal["text"]
