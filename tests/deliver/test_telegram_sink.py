from __future__ import annotations

import pytest
from telegram import Bot

from bot.deliver.telegram import TelegramSink
from bot.models import Post
from tests.deliver.support import CHANNEL, KICKED, NEW_SUPERGROUP, OLD_GROUP, TOKEN
from tests.fakes.bot_api import FakeBotAPI

POST = Post(html='<b>KPU</b> menetapkan jadwal &amp; <a href="https://berita.id/a">baca</a>')
PHOTO = Post(html=POST.html, image="https://berita.id/foto.jpg", caption="<b>KPU</b> menetapkan")


@pytest.fixture
def sink(bot: Bot) -> TelegramSink:
    return TelegramSink(bot)


async def test_sends_html_and_returns_the_message_id(sink: TelegramSink, fake: FakeBotAPI) -> None:
    outcome = await sink.send(CHANNEL, POST)
    assert outcome.status == "sent" and outcome.message_id == 1
    call = fake.calls("sendMessage")[0]
    assert call["parse_mode"] == "HTML" and call["text"] == POST.html
    message = fake.messages(CHANNEL)[0]
    assert message["text"] == "KPU menetapkan jadwal & baca"
    assert {"type": "bold", "offset": 0, "length": 3} in message["entities"]


async def test_image_without_caption_is_previewed(sink: TelegramSink, fake: FakeBotAPI) -> None:
    await sink.send(CHANNEL, Post(html=POST.html, image="https://berita.id/foto.jpg"))
    preview = fake.calls("sendMessage")[0]["params"]["link_preview_options"]
    assert preview["url"] == "https://berita.id/foto.jpg" and preview["prefer_large_media"]


async def test_parse_error_falls_back_to_plain_text(sink: TelegramSink, fake: FakeBotAPI) -> None:
    outcome = await sink.send(CHANNEL, Post(html="<b>Pemilu <i>2024</b></i>"))
    assert outcome.status == "sent" and outcome.plain_text_fallback
    first, second = fake.calls("sendMessage")
    assert first["status"] == 400 and "Unmatched end tag" in first["description"]
    assert second["status"] == 200 and second["parse_mode"] is None
    assert second["text"] == "Pemilu 2024"


async def test_scripted_parse_error_too(sink: TelegramSink, fake: FakeBotAPI) -> None:
    fake.script_fault("sendMessage", "400_parse")
    outcome = await sink.send(CHANNEL, POST)
    assert outcome.plain_text_fallback
    assert fake.messages(CHANNEL)[0]["text"] == "KPU menetapkan jadwal & baca (https://berita.id/a)"


@pytest.mark.parametrize(
    ("chat_id", "needle"),
    [(KICKED, "kicked"), (-1009999, "Chat not found")],
)
async def test_lost_chats_are_channel_gone(sink: TelegramSink, chat_id: int, needle: str) -> None:
    outcome = await sink.send(chat_id, POST)
    assert outcome.status == "channel_gone" and needle in (outcome.error or "")


async def test_need_admin_rights_is_channel_gone(sink: TelegramSink, fake: FakeBotAPI) -> None:
    fake.script_fault(
        "sendMessage",
        "400",
        description="Bad Request: need administrator rights in the channel chat",
    )
    assert (await sink.send(CHANNEL, POST)).status == "channel_gone"


async def test_other_bad_request_fails(sink: TelegramSink, fake: FakeBotAPI) -> None:
    fake.script_fault("sendMessage", "400", description="Bad Request: message is too long")
    outcome = await sink.send(CHANNEL, POST)
    assert outcome.status == "failed" and "too long" in (outcome.error or "")


async def test_migration_carries_the_new_id(sink: TelegramSink) -> None:
    outcome = await sink.send(OLD_GROUP, POST)
    assert outcome.status == "migrated" and outcome.new_chat_id == NEW_SUPERGROUP


async def test_429_is_a_rate_limited_retry(sink: TelegramSink, fake: FakeBotAPI) -> None:
    fake.script_fault("sendMessage", "429", retry_after=7)
    outcome = await sink.send(CHANNEL, POST)
    assert (outcome.status, outcome.rate_limited, outcome.retry_after) == ("retry", True, 7.0)


@pytest.mark.parametrize("kind", ["500", "502", "drop", "drop_after"])
async def test_transient_errors_are_retry(sink: TelegramSink, fake: FakeBotAPI, kind: str) -> None:
    fake.script_fault("sendMessage", kind)
    outcome = await sink.send(CHANNEL, POST)
    assert outcome.status == "retry" and not outcome.rate_limited
    assert TOKEN not in (outcome.error or "") and outcome.error


async def test_photo_with_caption(sink: TelegramSink, fake: FakeBotAPI) -> None:
    outcome = await sink.send(CHANNEL, PHOTO)
    assert outcome.status == "sent"
    call = fake.calls("sendPhoto")[0]
    assert call["photo"] == PHOTO.image and call["caption"] == PHOTO.caption
    assert fake.messages(CHANNEL)[0]["caption"] == "KPU menetapkan"


@pytest.mark.parametrize("broken", ["script", "unreachable"])
async def test_unusable_photo_falls_back_to_text(
    sink: TelegramSink, fake: FakeBotAPI, broken: str
) -> None:
    if broken == "script":
        fake.script_fault("sendPhoto", "400_photo")
    else:
        fake.break_photo(PHOTO.image or "")
    outcome = await sink.send(CHANNEL, PHOTO)
    assert outcome.status == "sent" and not outcome.plain_text_fallback
    assert fake.calls("sendPhoto")[0]["status"] == 400
    assert fake.calls("sendMessage")[0]["text"] == PHOTO.html


async def test_errors_never_carry_the_token(fake: FakeBotAPI) -> None:
    async with Bot(TOKEN, base_url=fake.base_url) as bot:
        sink = TelegramSink(bot)
        fake.stop()  # connection refused: httpx errors can name the URL
        outcome = await sink.send(CHANNEL, POST)
    assert outcome.status == "retry"
    assert TOKEN not in (outcome.error or "") and outcome.error
