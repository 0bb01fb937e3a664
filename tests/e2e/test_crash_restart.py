"""`humasbot run` killed with SIGKILL in the middle of a broadcast, then restarted; and
`humasbot poll --once` delivering from the same database while `run` is up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.storage import Store
from bot.storage.schema import ChannelRow, DeliveryRow
from tests.deliver.outbox_support import channel_configs, queue_posts
from tests.e2e.conftest import ROOT, TOKEN
from tests.fakes.bot_api import FakeBotAPI

CHATS = [-1001300000000 - i for i in range(60)]  # ~2 s of sending at Telegram's 30/s


@dataclass
class Setup:
    server: FakeBotAPI
    database: str
    config: Path
    env: dict[str, str]
    log: Path

    def start(self, *command: str) -> subprocess.Popen[bytes]:
        args = [sys.executable, "-m", "bot", "--config", str(self.config), *(command or ("run",))]
        with self.log.open("ab") as log:
            return subprocess.Popen(args, env=self.env, cwd=ROOT, stdout=log, stderr=log)

    def states(self) -> dict[int, str]:
        store = Store(self.database)
        query = select(ChannelRow.chat_id, DeliveryRow.status).join(
            ChannelRow, ChannelRow.id == DeliveryRow.channel_id
        )
        with store.session() as session:
            states = {int(chat): status for chat, status in session.execute(query)}
        store.close()
        return states

    def wait_all_sent(self, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        while set(self.states().values()) != {"sent"}:
            assert time.monotonic() < deadline, f"not all sent: {self.states()}"
            time.sleep(0.1)

    def messages(self) -> dict[int, int]:
        return {chat: len(self.server.messages(chat)) for chat in CHATS}


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    server = FakeBotAPI(CHATS, limits=True).start()
    database = f"sqlite:///{tmp_path / 'crash.db'}"
    store = Store(database)
    store.sync_channels(channel_configs(CHATS))
    queue_posts(store, 1, prefix="Siaran")
    store.close()
    config = tmp_path / "humasbot.yaml"
    channels = [{"chat_id": chat} for chat in CHATS]
    config.write_text(yaml.safe_dump({"database": database, "channels": channels}), "utf-8")
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "TELEGRAM_API_BASE_FILE_URL": server.base_file_url,
        "PYTHONPATH": str(ROOT),
    }
    yield Setup(server, database, config, env, tmp_path / "service.log")
    server.stop()


def stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=20)


def test_sigkill_mid_broadcast_loses_nothing_and_resends_nothing_confirmed(setup: Setup) -> None:
    service = setup.start()
    try:
        setup.server.wait_for_calls(15, 30, method="sendMessage", ok=True)
    finally:
        service.send_signal(signal.SIGKILL)
        service.wait(timeout=10)
    at_kill, delivered_at_kill = setup.states(), setup.messages()
    confirmed = {chat for chat, status in at_kill.items() if status == "sent"}
    in_flight = {chat for chat, status in at_kill.items() if status == "sending"}
    assert confirmed and set(at_kill.values()) - {"sent"}  # killed mid-broadcast

    restarted = setup.start()
    try:
        setup.wait_all_sent()
    finally:
        assert stop(restarted) == 0
    delivered = setup.messages()
    assert all(count >= 1 for count in delivered.values())  # nothing lost
    assert all(delivered[chat] == delivered_at_kill[chat] == 1 for chat in confirmed)
    assert {chat for chat, count in delivered.items() if count > 1} <= in_flight
    assert not setup.server.calls(status=429)
    if in_flight:
        assert "outbox_recovered" in setup.log.read_text("utf-8")


def test_poll_once_beside_run_sends_each_post_once(setup: Setup) -> None:
    service = setup.start()
    try:
        setup.server.wait_for_calls(3, 30, method="sendMessage", ok=True)
        poll = setup.start("poll", "--once")
        assert poll.wait(timeout=60) == 0
        setup.wait_all_sent()
    finally:
        assert stop(service) == 0
    assert set(setup.messages().values()) == {1}  # every channel once, none twice
