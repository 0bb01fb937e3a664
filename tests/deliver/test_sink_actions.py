"""Inline keyboards on posts, and deleting and editing sent messages, in both sinks."""

from __future__ import annotations

import io

import pytest
from telegram import Bot

from bot.deliver.sink import ConsoleSink
from bot.deliver.telegram import TelegramSink
from bot.models import Post
from tests.deliver.support import CHANNEL, TOKEN
from tests.fakes.bot_api import FakeBotAPI

BUTTONS = (("✅ Terbitkan", "rv:pub:7"), ("❌ Tolak", "rv:rej:7"))
TEXT = Post(html="<b>KPU</b> menetapkan jadwal", buttons=BUTTONS)
PHOTO = Post(html=TEXT.html, image="https://berita.id/foto.jpg", caption="<b>KPU</b> foto")


@pytest.fixture
def sink(bot: Bot) -> TelegramSink:
    return TelegramSink(bot)


def _keyboard(message: dict) -> list[tuple[str, str]]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [(button["text"], button["callback_data"]) for row in rows for button in row]


async def test_buttons_go_as_one_row_of_inline_keyboard(
    sink: TelegramSink, fake: FakeBotAPI
) -> None:
    await sink.send(CHANNEL, TEXT)
    await sink.send(
        CHANNEL, Post(html=PHOTO.html, image=PHOTO.image, caption=PHOTO.caption, buttons=BUTTONS)
    )
    await sink.send(CHANNEL, Post(html="tanpa tombol"))
    text, photo, plain = fake.messages(CHANNEL)
    assert _keyboard(text) == list(BUTTONS) and "photo" in photo
    assert _keyboard(photo) == list(BUTTONS) and "reply_markup" not in plain


async def test_plain_text_fallback_keeps_the_buttons(sink: TelegramSink, fake: FakeBotAPI) -> None:
    outcome = await sink.send(CHANNEL, Post(html="<b>Pemilu <i>2024</b></i>", buttons=BUTTONS))
    assert outcome.plain_text_fallback
    assert _keyboard(fake.messages(CHANNEL)[0]) == list(BUTTONS)


async def test_delete_then_delete_again_says_why(sink: TelegramSink, fake: FakeBotAPI) -> None:
    sent = await sink.send(CHANNEL, TEXT)
    assert sent.message_id is not None
    assert await sink.delete(CHANNEL, sent.message_id) is None
    assert fake.messages(CHANNEL) == []
    reason = await sink.delete(CHANNEL, sent.message_id)
    assert reason is not None and "message to delete not found" in reason.lower()
    assert "BadRequest" not in reason


async def test_edit_text_and_caption(sink: TelegramSink, fake: FakeBotAPI) -> None:
    text = await sink.send(CHANNEL, TEXT)
    photo = await sink.send(CHANNEL, PHOTO)
    assert text.message_id and photo.message_id
    corrected = "✏️ <b>Koreksi</b>\n\nJadwal &amp; tempat"
    assert await sink.edit(CHANNEL, text.message_id, corrected, caption=False) is None
    assert await sink.edit(CHANNEL, photo.message_id, corrected, caption=True) is None
    edited_text, edited_photo = fake.messages(CHANNEL)
    assert edited_text["text"] == "✏️ Koreksi\n\nJadwal & tempat" and "edit_date" in edited_text
    assert "reply_markup" not in edited_text  # an edit without a keyboard drops it
    assert edited_photo["caption"] == "✏️ Koreksi\n\nJadwal & tempat"
    # the same text again: Telegram's "message is not modified" counts as done
    assert await sink.edit(CHANNEL, text.message_id, corrected, caption=False) is None
    reason = await sink.edit(CHANNEL, photo.message_id, corrected, caption=False)
    assert reason is not None and "no text in the message" in reason.lower()


async def test_edit_failures_are_reasons_without_the_token(
    sink: TelegramSink, fake: FakeBotAPI
) -> None:
    reason = await sink.edit(CHANNEL, 999, "x", caption=False)
    assert reason is not None and "message to edit not found" in reason.lower()
    fake.script_fault("deleteMessage", "400", description=f"Bad Request: odd {TOKEN} echo")
    reason = await sink.delete(CHANNEL, 1)
    assert reason is not None and TOKEN not in reason and "<token>" in reason


async def test_a_short_flood_wait_is_waited_out_once(sink: TelegramSink, fake: FakeBotAPI) -> None:
    sent = await sink.send(CHANNEL, TEXT)
    assert sent.message_id is not None
    fake.script_fault("deleteMessage", "429", retry_after=1)
    assert await sink.delete(CHANNEL, sent.message_id) is None
    assert [c["status"] for c in fake.calls("deleteMessage")] == [429, 200]


async def test_console_sink_prints_buttons_edits_and_deletes() -> None:
    out = io.StringIO()
    sink = ConsoleSink(out)
    sent = await sink.send("@kanal", TEXT)
    assert sent.message_id == 1
    assert "[✅ Terbitkan] [❌ Tolak]" in out.getvalue()
    assert await sink.edit("@kanal", 1, "<b>baru</b>", caption=False) is None
    assert "editMessageText (HTML) ──\n<b>baru</b>" in out.getvalue()
    assert await sink.delete("@kanal", 1) is None
    assert "#1 · deleteMessage" in out.getvalue()
    assert await sink.delete("@kanal", 1) == "message to delete not found"
    assert await sink.edit("@kanal", 5, "x", caption=True) == "message to edit not found"
