"""Buttons keep their state in the database: a ✅ pressed after the bot restarted (a new
Application on the same database, as another instance would be) still works, and one pressed
after its confirmation expired is answered clearly, changing nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.handlers import search
from bot.storage.schema import BroadcastRow, ConfirmationRow, DeliveryRow
from tests.e2e.feeds import election_titles
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.handlers.harness import ADMIN, CHANNELS, USER, Bot, keyboard, make_config, settle

FIRST, SECOND = CHANNELS


class Instances:
    """One bot at a time on the same database; `restart` stops it and starts a fresh one."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def restart(self) -> Bot:
        await self.bot.stop()
        self.bot = await Bot(self.bot.api, self.bot.config).start()
        return self.bot


@pytest.fixture
async def instances(tmp_path, api: FakeBotAPI, feeds: FeedServer) -> AsyncIterator[Instances]:
    first = await Bot(api, make_config(tmp_path, feeds, api)).start()
    await first.posts_delivered()
    running = Instances(first)
    yield running
    await running.bot.stop()


def _sent_ids(bot: Bot, item_id: int) -> dict[str, int]:
    return {m.chat_id: m.message_id for m in bot.services.store.sent_messages(item_id)}


async def _an_item(bot: Bot) -> int:
    await settle(lambda: bool(bot.services.store.published_posts(limit=1)))
    item_id = bot.services.store.published_posts(limit=1)[0].item_id
    await settle(lambda: len(_sent_ids(bot, item_id)) == len(CHANNELS))
    return item_id


async def _broadcast_preview(bot: Bot, command: str) -> tuple[dict[str, Any], list[str]]:
    """/siarkan's preview (the post as it will appear) and the ✅ Kirim / ❌ Batal put under it."""
    edits = len(bot.api.calls(method="editMessageReplyMarkup"))
    preview, _ = await bot.ask(command, user_id=ADMIN, replies=2)
    edit = (await bot.api.await_calls(edits + 1, 10, method="editMessageReplyMarkup"))[-1]
    return preview, keyboard(edit)


def _expire_confirmations(bot: Bot) -> None:
    past = datetime.now(UTC) - timedelta(minutes=1)
    with bot.services.store.session() as session:
        session.execute(update(ConfirmationRow).values(expires_at=past))


async def test_tarik_confirmed_after_a_restart_deletes_everywhere(instances: Instances):
    bot = instances.bot
    item_id = await _an_item(bot)
    sent = _sent_ids(bot, item_id)
    (confirm,) = await bot.ask(f"/tarik {item_id}", user_id=ADMIN)
    ok, _ = keyboard(confirm)

    bot = await instances.restart()
    (report,) = await bot.press(ok, confirm["message_id"])
    assert f"Berita #{item_id} ditarik" in report["text"]
    for chat_id in CHANNELS:
        ids = [m["message_id"] for m in bot.api.messages(chat_id)]
        assert sent[str(chat_id)] not in ids
    (again,) = await bot.press(ok, confirm["message_id"])  # used once, on whichever instance
    assert "sudah diproses" in again["text"]


async def test_koreksi_confirmed_after_a_restart_edits_everywhere(instances: Instances):
    bot = instances.bot
    item_id = await _an_item(bot)
    _, preview = await bot.ask(
        f"/koreksi {item_id} Tanggal debat 13 Januari.", user_id=ADMIN, replies=2
    )

    bot = await instances.restart()
    (report,) = await bot.press(keyboard(preview)[0], preview["message_id"])
    assert f"Berita #{item_id} dikoreksi" in report["text"]
    assert "diubah" in report["text"]
    assert all(name in report["text"] for name in CHANNELS.values())
    assert bot.services.store.item_post(item_id)[0] == preview["text"]


async def test_kirim_pressed_after_a_restart_sends_once(instances: Instances):
    bot = instances.bot
    before = {c: len(bot.sent_to(c)) for c in CHANNELS}
    preview, buttons = await _broadcast_preview(bot, "/siarkan Rapat koordinasi humas")

    bot = await instances.restart()
    (done,) = await bot.press(buttons[0], preview["message_id"])
    assert "sedang dikirim ke 2 kanal" in done["text"]
    for chat_id in CHANNELS:
        sent = await bot.api.await_calls(
            before[chat_id] + 1, 10, method="sendMessage", chat_id=chat_id
        )
        assert sent[-1]["text"] == "Rapat koordinasi humas"


async def test_search_pages_after_a_restart(instances: Instances, monkeypatch):
    monkeypatch.setattr(search, "PAGE_SIZE", 1)
    bot = instances.bot
    long_query = "pemilu " + "x" * 80  # too long for callback data: kept in the database
    (first,) = await bot.ask(f"/cari {long_query}")
    assert "tidak ada" in first["text"].lower()  # no match: no buttons, nothing stored
    with bot.services.store.session() as session:
        assert session.scalars(select(ConfirmationRow)).all() == []
    (first,) = await bot.ask("/cari pemilu " + "pemilu " * 10)
    pages = len(election_titles())
    next_page = keyboard(first)[-1]
    assert next_page.startswith("cari:1:~") and len(next_page.encode()) <= 64

    bot = await instances.restart()
    edits = len(bot.api.calls(method="editMessageText"))
    await bot.press(next_page, first["message_id"], user_id=USER, replies=0)
    (edit,) = (await bot.api.await_calls(edits + 1, 10, method="editMessageText"))[edits:]
    assert f"2/{pages}" in edit["text"]

    _expire_confirmations(bot)
    await bot.press(next_page, first["message_id"], user_id=USER, replies=0)
    answer = bot.api.calls(method="answerCallbackQuery")[-1]["params"]
    assert "sudah kedaluwarsa" in answer["text"] and answer["show_alert"]


async def test_expired_confirmations_say_so_and_change_nothing(instances: Instances):
    bot = instances.bot
    item_id = await _an_item(bot)
    (confirm,) = await bot.ask(f"/tarik {item_id}", user_id=ADMIN)
    preview, buttons = await _broadcast_preview(bot, "/siarkan Kedaluwarsa")
    _expire_confirmations(bot)
    with bot.services.store.session() as session:
        old = datetime.now(UTC) - timedelta(days=2)
        session.execute(update(BroadcastRow).values(created_at=old))

    bot = await instances.restart()
    (late,) = await bot.press(keyboard(confirm)[0], confirm["message_id"])
    assert "Konfirmasi ini sudah kedaluwarsa (berlaku 24 jam)" in late["text"]
    assert bot.api.calls(method="deleteMessage") == []
    (late,) = await bot.press(buttons[0], preview["message_id"])
    assert "sudah kedaluwarsa (berlaku 24 jam); tidak ada yang dikirim" in late["text"]
    with bot.services.store.session() as session:
        statuses = set(session.scalars(select(BroadcastRow.status)))
        assert statuses == {"draft"}
        assert set(session.scalars(select(DeliveryRow.status))) == {"sent"}
    (english,) = await bot.press(buttons[0], preview["message_id"], language_code="en")
    assert "has expired" in english["text"]


async def test_a_token_works_only_in_its_own_chat(instances: Instances):
    bot = instances.bot
    item_id = await _an_item(bot)
    (confirm,) = await bot.ask(f"/tarik {item_id}", user_id=ADMIN)
    ok, _ = keyboard(confirm)
    store, now = bot.services.store, datetime.now(UTC)
    token = ok.split(":")[2]
    assert store.read_press(token, "tr", FIRST, now=now).state == "unknown"
    assert store.take_press(token, "kr", ADMIN, now=now).state == "unknown"
    assert store.take_press(token, "tr", ADMIN, now=now).state == "ok"
    assert store.take_press(token, "tr", ADMIN, now=now).state == "used"


async def test_terbitkan_pressed_after_a_restart_publishes(tmp_path, api, feeds):
    channels = [{"chat_id": FIRST, "name": CHANNELS[FIRST], "mode": "review"}]
    config = make_config(tmp_path, feeds, api, channels=channels)
    running = Instances(await Bot(api, config).start())
    try:
        # several reviews in one cycle: one summary whose button pages through them
        (summary,) = await api.await_calls(1, 20, method="sendMessage", chat_id=ADMIN)
        edits = len(api.calls(method="editMessageText"))
        await running.bot.press(keyboard(summary)[0], summary["message_id"], replies=0)
        page = (await api.await_calls(edits + 1, 10, method="editMessageText"))[-1]
        publish = next(b for b in keyboard(page) if b.startswith("rv:pub:"))
        assert api.calls(method="sendMessage", chat_id=FIRST) == []

        bot = await running.restart()
        await bot.press(publish, summary["message_id"], replies=0)
        sent = await api.await_calls(1, 10, method="sendMessage", chat_id=FIRST, ok=True)
        review = bot.services.store.review(int(publish.split(":")[2]))
        assert review.status == "published" and sent[0]["text"] == review.html
    finally:
        await running.bot.stop()
