"""Replies built from data stay within one message whatever the data holds: /sumber, /sumber
status and /kanal page at real scale (70 feeds, 60 channels), feed URLs never show their secrets
to the public, and a 10,000-character title breaks neither /cari nor a digest."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from bot.broadcast.digest import digest_html
from bot.settings import FeedConfig
from bot.storage.posts import PublicPost
from bot.storage.schema import ItemRow
from tests.e2e.feeds import election_titles
from tests.fakes.bot_api import MAX_TEXT, FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.handlers.harness import (
    ADMIN,
    CHANNELS,
    USER,
    Bot,
    button_texts,
    keyboard,
    make_config,
)

FEEDS, EXTRA_CHANNELS = 70, 60
SECRET = "rahasia-token-123"


@pytest.fixture
async def crowded(tmp_path, api: FakeBotAPI, feeds: FeedServer) -> AsyncIterator[Bot]:
    """70 feeds (none of them answering: no posts) with credentials and tokens in their URLs,
    and 60 channels besides the two of the harness."""
    host = feeds.url.split("://", 1)[1]
    listed = [
        {"url": f"http://humas:sandi{i}@{host}/umpan-{i}.xml?token={SECRET}&id={i}"}
        for i in range(FEEDS)
    ]
    channels = [{"chat_id": c, "name": n} for c, n in CHANNELS.items()]
    for i in range(EXTRA_CHANNELS):
        chat_id = -1002000000 - i
        api.add_chat(chat_id, type="channel", title=f"Kanal Humas Daerah {i}")
        channels.append({"chat_id": chat_id, "name": f"Kanal Humas Daerah Nomor {i}"})
    config = make_config(tmp_path, feeds, api, channels=channels)
    config = config.model_copy(update={"feeds": [FeedConfig(**feed) for feed in listed]})
    running = await Bot(api, config).start()
    yield running
    await running.stop()


def _no_secrets(text: str) -> None:
    assert SECRET not in text and "sandi" not in text and "humas:" not in text


async def _all_pages(bot: Bot, first: dict, chat_id: int) -> list[str]:
    """Press ▶ until the last page; every page's text."""
    texts, shown = [first["text"]], first
    message_id = bot.api.messages(chat_id)[-1]["message_id"]
    while button_texts(shown) and button_texts(shown)[-1] == "▶":
        edits = len(bot.api.calls(method="editMessageText", chat_id=chat_id))
        await bot.press(keyboard(shown)[-1], message_id, user_id=chat_id, replies=0)
        shown = (await bot.api.await_calls(edits + 1, 10, method="editMessageText"))[-1]
        assert shown["ok"], shown["description"]
        texts.append(shown["text"])
    return texts


async def test_sources_page_for_the_public_without_secrets(crowded: Bot):
    (first,) = await crowded.ask("/sumber")
    assert first["ok"], first["description"]
    _no_secrets(first["text"])
    pages = await _all_pages(crowded, first, USER)
    assert len(pages) > 1
    text = "\n".join(pages)
    _no_secrets(text)
    for i in range(FEEDS):
        assert f"/umpan-{i}.xml" in text


async def test_sources_for_admins_mask_the_query(crowded: Bot):
    (first,) = await crowded.ask("/sumber", user_id=ADMIN)
    assert first["ok"], first["description"]
    pages = await _all_pages(crowded, first, ADMIN)
    text = "\n".join(pages)
    _no_secrets(text)
    assert "token=" in text and "id=" in text  # the keys show, their values do not


async def test_feed_health_and_channels_page_at_scale(crowded: Bot):
    (first,) = await crowded.ask("/sumber status", user_id=ADMIN)
    assert first["ok"], first["description"]
    pages = await _all_pages(crowded, first, ADMIN)
    assert len(pages) > 1 and all(len(p) <= MAX_TEXT for p in pages)
    _no_secrets("\n".join(pages))
    assert sum(p.count("umpan-") for p in pages) == FEEDS

    (first,) = await crowded.ask("/kanal", user_id=ADMIN)
    assert first["ok"], first["description"]
    pages = await _all_pages(crowded, first, ADMIN)
    text = "\n".join(pages)
    assert len(pages) > 1
    for i in range(EXTRA_CHANNELS):
        assert f"Kanal Humas Daerah Nomor {i}\n" in text or f"Nomor {i} " in text


async def test_a_huge_title_breaks_neither_search_nor_digest(bot: Bot):
    huge = "Pemilu " + "panjang sekali " * 700  # over 10,000 characters
    item_id = bot.services.store.published_posts(limit=1)[0].item_id
    with bot.services.store.session() as session:
        session.execute(update(ItemRow).where(ItemRow.id == item_id).values(title=huge))
    (reply,) = await bot.ask("/cari pemilu")
    assert reply["ok"], reply["description"]
    assert f"#{item_id}" in reply["text"] and len(reply["text"]) < MAX_TEXT

    posts = bot.services.store.published_posts(limit=50)
    digest = digest_html(
        posts, repeat="daily", now=datetime.now(UTC), zone="Asia/Makassar", language="id"
    )
    assert len(digest) < MAX_TEXT and "lainnya" not in digest
    assert all(f"{n}. " in digest for n in range(1, len(election_titles()) + 1))


def test_a_digest_bounds_each_headline():
    now = datetime.now(UTC)
    posts = [
        PublicPost(i, ("Pemilu " * 2000) if i == 1 else f"Berita {i}", "", None, "S", now, "")
        for i in range(1, 6)
    ]
    digest = digest_html(posts, repeat="daily", now=now, zone="Asia/Makassar", language="id")
    assert len(digest) < MAX_TEXT and "Berita 5" in digest and "lainnya" not in digest


async def test_schedules_page_at_scale(bot: Bot):
    from datetime import timedelta

    from bot.storage.broadcasts import Draft

    store = bot.services.store
    for i in range(120):
        draft = Draft(
            html=f"Siaran terjadwal nomor {i} " + "panjang " * 50,
            image=None,
            targets=None,
            run_at=datetime.now(UTC) + timedelta(days=1, minutes=i),
            repeat="once",
            content="text",
            timezone="Asia/Makassar",
            created_by=ADMIN,
            created_by_name="Admin " + "x" * 500,
            created_in=ADMIN,
        )
        store.confirm_broadcast(store.create_broadcast(draft, now=datetime.now(UTC)))
    (first,) = await bot.ask("/daftarjadwal", user_id=ADMIN)
    assert first["ok"], first["description"]
    pages = await _all_pages(bot, first, ADMIN)
    assert len(pages) > 1 and all(len(p) < MAX_TEXT for p in pages)
    assert sum(p.count("Siaran terjadwal nomor") for p in pages) == 120


async def test_echoed_input_is_bounded(bot: Bot):
    (reply,) = await bot.ask("/" + "<" * 3000)
    assert reply["ok"] and "tidak dikenal" in reply["text"] and len(reply["text"]) < 400
    (reply,) = await bot.ask(
        "/siarkan ke:" + ",".join(["@" + "x" * 30] * 120) + " teks", user_id=ADMIN
    )
    assert reply["ok"] and "Kanal tidak dikenal" in reply["text"]
    (reply,) = await bot.ask("/kanal hapus " + "&" * 3000, user_id=ADMIN)
    assert reply["ok"], reply["description"]
