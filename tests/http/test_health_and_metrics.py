"""`humasbot run` (long polling) with `http.listen`: /healthz, /readyz turning 503 and back when
the database file goes away or the Bot API stops answering, and /metrics agreeing with the calls
the Bot API received."""

from __future__ import annotations

import socket

import pytest

from tests.e2e.conftest import CHANNELS, ROOT, humasbot
from tests.e2e.feeds import articles, election_titles
from tests.e2e.test_commands import broadcast_with_kirim
from tests.e2e.test_run import stop
from tests.fakes.bot_api import FakeBotAPI
from tests.http.conftest import get, metric, wait_for

pytestmark = pytest.mark.slow
ADMIN = 42
SENDS = ("sendMessage", "sendPhoto")


def _ready(base: str, ready: bool, failed: list[str] | None = None):
    def until(response) -> bool:
        if response.status_code != (200 if ready else 503):
            return False
        return failed is None or response.json()["failed"] == failed

    return wait_for(lambda: get(base + "/readyz"), until)


def _channel_calls(bot_api: FakeBotAPI, **filters) -> list[dict]:
    return [c for m in SENDS for chat in CHANNELS for c in bot_api.calls(m, chat, **filters)]


def test_readyz_follows_the_database_and_the_bot_api(
    bot_api, polling_config, bot_env, base, run_service, tmp_path
):
    process = run_service(polling_config, bot_env)
    body = _ready(base, True).json()
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {"database", "telegram", "poll"}
    assert get(base + "/healthz").text == "ok"
    # Long polling: any webhook is deleted before the first getUpdates.
    bot_api.wait_for_calls(1, 30, method="getUpdates")
    methods = [c["method"] for c in bot_api.calls()]
    assert methods.index("deleteWebhook") < methods.index("getUpdates")

    database, away = tmp_path / "humasbot.db", tmp_path / "humasbot.db.moved"
    database.rename(away)
    body = _ready(base, False, ["database"]).json()
    assert body["status"] == "fail" and not body["checks"]["database"]["ok"]
    assert get(base + "/healthz").text == "ok"  # liveness never asks the database
    away.rename(database)
    _ready(base, True)

    port = bot_api.port
    bot_api.stop()
    body = _ready(base, False, ["telegram"]).json()
    assert "TEST-token" not in str(body)
    with FakeBotAPI(port=port):
        _ready(base, True)
        code, stderr = stop(process)
    assert code == 0, stderr


def test_metrics_agree_with_the_bot_api_call_log(
    bot_api, polling_config, bot_env, base, run_service
):
    # One 429 and one 500 on the first posts: retried, and counted as Telegram answered them.
    bot_api.script_fault("sendMessage", "429", retry_after=1)
    bot_api.script_fault("sendMessage", "500")
    process = run_service(polling_config, bot_env)
    count = len(election_titles())
    for chat_id in CHANNELS:
        bot_api.wait_for_calls(count, 30, method="sendMessage", chat_id=chat_id, ok=True)

    def agrees(response) -> bool:
        return metric(response.text, "humasbot_messages_sent_total") == len(
            _channel_calls(bot_api, ok=True)
        )

    text = wait_for(lambda: get(base + "/metrics"), agrees).text
    assert metric(text, "humasbot_messages_sent_total") == 2 * count
    assert metric(text, 'humasbot_feed_checks_total{outcome="ok"}') == 1
    assert metric(text, 'humasbot_feed_checks_total{outcome="failed"}') == 0
    assert metric(text, "humasbot_items_new_total") == len(articles())
    assert metric(text, "humasbot_election_items_total") == count
    assert metric(text, "humasbot_telegram_retry_after_total") == len(bot_api.calls(status=429))
    refused = [c for c in _channel_calls(bot_api, ok=False) if c["status"] != 429]
    assert metric(text, 'humasbot_send_failures_total{reason="transient"}') == len(refused) == 1
    assert metric(text, "humasbot_delivery_latency_seconds_count") == 2 * count
    assert metric(text, "humasbot_poll_cycle_seconds_count") >= 1
    assert metric(text, "humasbot_outbox_pending") == 0
    assert 'humasbot_info{database="sqlite",version="' in text

    # A broadcast adds one message per channel; replies to the admin are not counted.
    broadcast_with_kirim(bot_api, "Rapat koordinasi humas", ADMIN, CHANNELS)
    text = wait_for(lambda: get(base + "/metrics"), agrees).text
    assert metric(text, "humasbot_messages_sent_total") == 2 * count + len(CHANNELS)
    assert stop(process)[0] == 0


def test_a_port_in_use_is_a_clear_error(bot_api, polling_config, bot_env, port):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = humasbot("--config", str(polling_config), "run", env=bot_env, cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert f"http.listen 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr
