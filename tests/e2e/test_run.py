"""`humasbot run` as a real process: it polls, posts, answers commands and stops on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.e2e.conftest import CHANNELS, ROOT, TOKEN
from tests.e2e.feeds import election_titles

USER = 555


def start_service(config_file, bot_env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(config_file), "run"],
        env=bot_env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def service(config_file, bot_env):
    process = start_service(config_file, bot_env)
    yield process
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=10)


def stop(process: subprocess.Popen) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=20)
    return process.returncode, stderr


def test_run_posts_new_items_answers_commands_and_stops_cleanly(bot_api, service):
    count = len(election_titles())
    for chat_id in CHANNELS:
        bot_api.wait_for_calls(count, 30, method="sendMessage", chat_id=chat_id, ok=True)
    commands = bot_api.wait_for_calls(2, 10, method="setMyCommands")
    assert {c["params"].get("language_code") for c in commands} == {None, "en"}

    bot_api.inject_update("/terbaru 2", user_id=USER)
    replies = bot_api.wait_for_calls(2, 15, method="sendMessage", chat_id=USER, ok=True)
    newest = bot_api.calls(method="sendMessage", chat_id=-1001001, ok=True)[-2:]
    assert [r["text"] for r in replies] == [c["text"] for c in newest]

    bot_api.inject_update("/tidakada", user_id=USER)
    reply = bot_api.wait_for_calls(3, 10, method="sendMessage", chat_id=USER)[-1]
    assert "tidak dikenal" in reply["text"] and "/help" in reply["text"]

    bot_api.inject_update("/terbaru sebelas", user_id=USER)
    reply = bot_api.wait_for_calls(4, 10, method="sendMessage", chat_id=USER)[-1]
    assert "1 sampai 10" in reply["text"]

    code, stderr = stop(service)
    assert code == 0, stderr
    assert TOKEN not in stderr
    assert "humasbot stopped" in stderr
    # Nothing was posted twice.
    assert len(bot_api.calls(method="sendMessage", chat_id=-1001001, ok=True)) == count


def test_english_users_get_english_and_help_lists_the_commands(bot_api, service):
    bot_api.wait_for_calls(1, 30, method="setMyCommands")
    bot_api.inject_update("/help", user_id=USER, language_code="en")
    reply = bot_api.wait_for_calls(1, 10, method="sendMessage", chat_id=USER)[0]
    assert "/latest" in reply["text"] and "commands" in reply["text"]
    bot_api.inject_update("/start", user_id=USER + 1, first_name="Sri")
    reply = bot_api.wait_for_calls(1, 10, method="sendMessage", chat_id=USER + 1)[0]
    assert "Halo, Sri" in reply["text"] and "/terbaru" in reply["text"]
    assert stop(service)[0] == 0


def test_pending_deliveries_are_sent_at_start(bot_api, config_file, bot_env):
    """A channel that was refusing (5xx) during one run gets its posts at the next start."""
    bot_api.script_fault("sendMessage", "500", count=1000)
    subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config_file), "poll", "--once"],
        env=bot_env,
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert bot_api.calls(method="sendMessage", ok=True) == []
    bot_api.reset()
    process = start_service(config_file, bot_env)
    try:
        total = len(election_titles()) * len(CHANNELS)
        bot_api.wait_for_calls(total, 30, method="sendMessage", ok=True)
    finally:
        assert stop(process)[0] == 0
