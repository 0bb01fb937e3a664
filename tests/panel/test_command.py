"""/panel in Telegram (the real Application, in-process, against the fake Bot API): an admin gets
a one-time link in their private chat, without a link preview; a group gets no link; anyone else
is refused; without an HTTP server there is no panel to link to."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.panel.desk import desk_of
from tests.handlers.harness import ADMIN, GROUP, USER, Bot, fake_api, feed_server, make_config

PUBLIC = "https://humas.example.go.id"


async def running(tmp_path: Path, **extra: Any) -> AsyncIterator[Bot]:
    feeds = feed_server()
    with fake_api() as api:
        bot = await Bot(api, make_config(tmp_path, feeds, api, **extra)).start()
        try:
            yield bot
        finally:
            await bot.stop()
            feeds.stop()


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async for made in running(tmp_path, http={"listen": "127.0.0.1:8080", "public_url": PUBLIC}):
        yield made


def link_in(text: str) -> str | None:
    found = re.search(r"https?://\S+/panel/masuk\?token=[\w-]+", text)
    return found.group(0) if found else None


async def test_an_admin_gets_a_one_time_link_in_private(bot: Bot):
    (reply,) = await bot.ask("/panel", user_id=ADMIN)
    link = link_in(reply["text"])
    assert link and link.startswith(PUBLIC + "/panel/masuk?token=")
    assert "10 menit" in reply["text"]
    assert reply["params"]["link_preview_options"]["is_disabled"] in (True, "true")
    desk = desk_of(bot.app.bot_data)
    assert desk is not None
    token = link.rsplit("=", 1)[1]
    started = await desk.logins.redeem(token)
    assert started is not None and started.session.user_id == ADMIN
    assert await desk.logins.redeem(token) is None  # once


async def test_english_for_an_english_telegram(bot: Bot):
    (reply,) = await bot.ask("/panel", user_id=ADMIN, language_code="en")
    assert "valid 10 minutes" in reply["text"] and link_in(reply["text"])


async def test_no_link_in_a_group_nor_for_someone_else(bot: Bot):
    (in_group,) = await bot.ask("/panel", user_id=ADMIN, chat_id=GROUP)
    assert "obrolan pribadi" in in_group["text"] and link_in(in_group["text"]) is None
    (refused,) = await bot.ask("/panel", user_id=USER)
    assert "hanya untuk admin" in refused["text"] and link_in(refused["text"]) is None


async def test_without_an_http_server_there_is_no_panel(tmp_path: Path):
    async for bot in running(tmp_path):
        (reply,) = await bot.ask("/panel", user_id=ADMIN)
        assert "belum aktif" in reply["text"] and link_in(reply["text"]) is None
