"""The bot's Application running in-process against FakeBotAPI and a FeedServer: updates go in
through getUpdates (or process_update for kinds the fake cannot make), replies are read back from
the fake's call log."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import App, build_application
from bot.settings import Config, parse_config
from tests.e2e.feeds import articles, election_titles, rss
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer

TOKEN = "123456:HANDLERS-test-token"
ADMIN, USER, GROUP_ADMIN = 42, 555, 777
CHANNELS = {-1001001: "Humas Kaltim", -1001002: "Diskominfo Balikpapan"}
GROUP = -1005005
SPARE_CHANNEL = -1003003  # a channel an admin may add


def make_config(tmp_path: Path, feeds: FeedServer, api: FakeBotAPI, **extra: Any) -> Config:
    data = {
        "database": f"sqlite:///{tmp_path / 'bot.db'}",
        "poll_tick": "1h",
        "admins": [ADMIN],
        "feeds": [{"url": f"{feeds.url}/berita.rss", "name": "Berita Uji"}],
        "channels": [{"chat_id": c, "name": n} for c, n in CHANNELS.items()],
        "fetch": {"allow_private_addresses": True},
        "telegram": {
            "chat_per_second": 100,
            "group_per_minute": 1000,
            "api_base_url": api.base_url,
            "api_base_file_url": api.base_file_url,
        },
        **extra,
    }
    return parse_config(data)


def fake_api() -> FakeBotAPI:
    chats: dict[int | str, dict[str, Any]] = {
        c: {"type": "channel", "title": t} for c, t in CHANNELS.items()
    }
    chats[GROUP] = {"type": "supergroup", "title": "Grup Humas", "admins": [GROUP_ADMIN]}
    chats[ADMIN] = {"type": "private", "first_name": "Admin"}
    chats[SPARE_CHANNEL] = {"type": "channel", "title": "Kanal Baru", "username": "kanal_baru"}
    return FakeBotAPI(chats, limits=False)


def feed_server() -> FeedServer:
    server = FeedServer().start()
    server.set("/berita.rss", rss(articles()), content_type="application/rss+xml")
    return server


@dataclass
class Bot:
    api: FakeBotAPI
    config: Config
    app: App = field(init=False)

    async def start(self) -> Bot:
        self.app = build_application(self.config, TOKEN)
        await self.app.initialize()
        assert self.app.post_init is not None
        await self.app.post_init(self.app)
        assert self.app.updater is not None
        await self.app.updater.start_polling(timeout=1)
        await self.app.start()
        return self

    async def stop(self) -> None:
        assert self.app.updater is not None
        await self.app.updater.stop()
        await self.app.stop()
        assert self.app.post_shutdown is not None
        await self.app.post_shutdown(self.app)
        await self.app.shutdown()

    @property
    def services(self) -> Any:
        return self.app.bot_data.services

    async def posts_delivered(self) -> None:
        """Wait until the first poll's election posts reached every channel."""
        count = len(election_titles())
        for chat_id in CHANNELS:
            await self.api.await_calls(count, 20, method="sendMessage", chat_id=chat_id, ok=True)

    def sent_to(self, chat_id: int, **filters: Any) -> list[dict[str, Any]]:
        return self.api.calls(method="sendMessage", chat_id=chat_id, **filters)

    async def ask(
        self,
        text: str,
        user_id: int = USER,
        chat_id: int | None = None,
        *,
        replies: int = 1,
        method: str = "sendMessage",
        **options: Any,
    ) -> list[dict[str, Any]]:
        """Write as a user and wait for the bot's next `replies` messages into that chat."""
        chat = chat_id if chat_id is not None else user_id
        before = len(self.api.calls(method=method, chat_id=chat))
        self.api.inject_update(text, user_id=user_id, chat_id=chat_id, **options)
        found = await self.api.await_calls(before + replies, 10, method=method, chat_id=chat)
        return found[before:]

    async def press(
        self,
        data: str,
        message_id: int,
        user_id: int = ADMIN,
        chat_id: int | None = None,
        *,
        replies: int = 1,
        **options: Any,
    ) -> list[dict[str, Any]]:
        chat = chat_id if chat_id is not None else user_id
        before = len(self.sent_to(chat))
        answered = len(self.api.calls(method="answerCallbackQuery"))
        self.api.inject_update(
            kind="callback_query",
            callback_data=data,
            message_id=message_id,
            user_id=user_id,
            chat_id=chat_id,
            **options,
        )
        await self.api.await_calls(answered + 1, 10, method="answerCallbackQuery")
        if not replies:
            return []
        found = await self.api.await_calls(before + replies, 10, method="sendMessage", chat_id=chat)
        return found[before:]

    async def feed(self, update: dict[str, Any]) -> None:
        """An update the fake cannot make (replies, anonymous admins, my_chat_member)."""
        await self.app.process_update(Update.de_json(update, self.app.bot))


async def settle(condition: Any, within: float = 10) -> None:
    """Wait, polling with a deadline, until condition() is true (state in the database or the
    job queue has no event to wait on)."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


def with_markup(api: FakeBotAPI, call: dict[str, Any]) -> dict[str, Any]:
    """A sent message's call, with the keyboard a later editMessageReplyMarkup gave it."""
    edits = [
        e
        for e in api.calls(method="editMessageReplyMarkup", chat_id=call["chat_id"])
        if e["params"].get("message_id") == call["message_id"]
    ]
    if edits:
        call = {
            **call,
            "params": {**call["params"], "reply_markup": edits[-1]["params"].get("reply_markup")},
        }
    return call


def keyboard(message: dict[str, Any]) -> list[str]:
    markup = message["params"].get("reply_markup") or {}
    if isinstance(markup, str):
        import json

        markup = json.loads(markup)
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def button_texts(message: dict[str, Any]) -> list[str]:
    markup = message["params"].get("reply_markup") or {}
    if isinstance(markup, str):
        import json

        markup = json.loads(markup)
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]
