"""End-to-end fixtures: a Bot API server and a feed server on 127.0.0.1, and a config file that
points the bot at both."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.e2e.feeds import articles, rss
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer

TOKEN = "123456:TEST-token-never-logged"
CHANNELS = {-1001001: "Humas Kaltim", -1001002: "Diskominfo Balikpapan"}
ADMIN_CHAT = -1009000
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bot_api() -> Iterator[FakeBotAPI]:
    chats = {chat_id: {"type": "channel", "title": title} for chat_id, title in CHANNELS.items()}
    chats[ADMIN_CHAT] = {"type": "supergroup", "title": "Admin humas"}
    with FakeBotAPI(chats) as server:
        yield server


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    server = FeedServer().start()
    server.set("/berita.rss", rss(articles()), content_type="application/rss+xml")
    yield server
    server.stop()


@pytest.fixture
def config_file(tmp_path: Path, feeds: FeedServer) -> Path:
    config = {
        "database": f"sqlite:///{tmp_path / 'humasbot.db'}",
        "poll_tick": "1s",
        "admins": [42],
        "admin_chat_id": ADMIN_CHAT,
        "feeds": [{"url": f"{feeds.url}/berita.rss", "name": "Berita Uji"}],
        "channels": [{"chat_id": chat_id, "name": name} for chat_id, name in CHANNELS.items()],
        "fetch": {"allow_private_addresses": True},
    }
    path = tmp_path / "humasbot.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


@pytest.fixture
def bot_env(bot_api: FakeBotAPI) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": bot_api.base_url,
        "TELEGRAM_API_BASE_FILE_URL": bot_api.base_file_url,
        "PYTHONPATH": str(ROOT),
    }


def humasbot(*args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 60):
    """Run the real command line as a subprocess, to completion."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
