"""A token Telegram rejects, or a Bot API address that does not answer: one clear line, exit 2,
and the token nowhere in the output."""

from __future__ import annotations

import socket

import pytest

from tests.e2e.conftest import CHANNELS, humasbot
from tests.fakes.bot_api import FakeBotAPI

REJECTED = "987654:REJECTED-secret-token"


@pytest.fixture
def strict_api():
    chats = {chat_id: {"type": "channel", "title": title} for chat_id, title in CHANNELS.items()}
    with FakeBotAPI(chats, tokens=["111:ACCEPTED-token"]) as server:
        yield server


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_one_clean_line(result, *words: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output
    assert REJECTED not in output and REJECTED.split(":")[1] not in output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert all(word in lines[0] for word in words), lines[0]


@pytest.mark.parametrize("command", [["poll", "--once"], ["run"]])
def test_a_rejected_token_gives_one_line_and_exit_2(strict_api, config_file, bot_env, command):
    env = {
        **bot_env,
        "TELEGRAM_BOT_TOKEN": REJECTED,
        "TELEGRAM_API_BASE_URL": strict_api.base_url,
        "TELEGRAM_API_BASE_FILE_URL": strict_api.base_file_url,
    }
    result = humasbot("--config", str(config_file), *command, env=env)
    assert_one_clean_line(result, "token ditolak oleh Telegram")
    assert strict_api.calls(method="getMe", status=401)


@pytest.mark.parametrize("command", [["poll", "--once"], ["run"]])
def test_an_unreachable_bot_api_gives_one_line_and_exit_2(config_file, bot_env, command):
    base = f"http://127.0.0.1:{closed_port()}/bot"
    env = {**bot_env, "TELEGRAM_BOT_TOKEN": REJECTED, "TELEGRAM_API_BASE_URL": base}
    result = humasbot("--config", str(config_file), *command, env=env)
    assert_one_clean_line(result, "tidak dapat dihubungi", base)


def test_a_wrong_base_url_gives_one_line_and_exit_2(strict_api, config_file, bot_env):
    base = f"{strict_api.url}/salah/bot"
    env = {**bot_env, "TELEGRAM_BOT_TOKEN": REJECTED, "TELEGRAM_API_BASE_URL": base}
    result = humasbot("--config", str(config_file), "poll", "--once", env=env)
    assert_one_clean_line(result, "telegram.api_base_url", base)
