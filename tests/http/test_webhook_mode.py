"""`humasbot run` in webhook mode as a real process: Telegram (the fake) pushes updates to the
bot's own HTTP server; commands are answered and buttons work; forged, malformed and oversized
pushes are refused with nothing processed; getUpdates is never called."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.e2e.conftest import CHANNELS, ROOT, humasbot
from tests.e2e.feeds import election_titles
from tests.e2e.test_commands import broadcast_with_kirim
from tests.e2e.test_run import stop
from tests.http.conftest import HOOK_PATH, SECRET, get, metric, wait_for

pytestmark = pytest.mark.slow
ADMIN, USER, FORGER = 42, 555, 777


def _push(base: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(base + HOOK_PATH, content=body, headers=headers, timeout=10)


def _forged_update(text: str) -> bytes:
    user = {"id": FORGER, "is_bot": False, "first_name": "Palsu"}
    message = {
        "message_id": 1,
        "date": 1700000000,
        "chat": {"id": FORGER, "type": "private", "first_name": "Palsu"},
        "from": user,
        "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
    }
    return json.dumps({"update_id": 900001, "message": message}).encode()


def test_webhook_mode_end_to_end(bot_api, webhook_config, webhook_env, base, run_service):
    process = run_service(webhook_config, webhook_env)
    hook = bot_api.wait_for_calls(1, 30, method="setWebhook", ok=True)[0]["params"]
    assert hook["url"] == base + HOOK_PATH and hook["secret_token"] == SECRET
    assert set(hook["allowed_updates"]) == {"message", "callback_query", "my_chat_member"}
    count = len(election_titles())
    for chat_id in CHANNELS:
        bot_api.wait_for_calls(count, 30, method="sendMessage", chat_id=chat_id, ok=True)

    # A command, pushed by the fake Bot API with the secret, is answered.
    bot_api.inject_update("/terbaru 2", user_id=USER)
    replies = bot_api.wait_for_calls(2, 15, method="sendMessage", chat_id=USER, ok=True)
    newest = bot_api.calls(method="sendMessage", chat_id=-1001001, ok=True)[-2:]
    assert [r["text"] for r in replies] == [c["text"] for c in newest]

    # Forged and malformed pushes are refused, and the server stays up.
    forged = _forged_update("/start")
    typed = {"Content-Type": "application/json"}
    assert _push(base, forged, typed).status_code == 401
    assert (
        _push(base, forged, {**typed, "X-Telegram-Bot-Api-Secret-Token": "salah"}).status_code
        == 403
    )
    good = {**typed, "X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert _push(base, b'{"update_id": 5, "message": ', good).status_code == 400
    assert _push(base, b'["not", "an", "update"]', good).status_code == 400
    assert _push(base, b"x" * (1024 * 1024 + 1), good).status_code == 413
    assert get(base + "/healthz").text == "ok"

    # Updates are handled in order: once a later real one is answered, the forged one would
    # have been too. It was not.
    bot_api.inject_update("/start", user_id=USER + 1, first_name="Sri")
    bot_api.wait_for_calls(1, 15, method="sendMessage", chat_id=USER + 1, ok=True)
    assert bot_api.calls(chat_id=FORGER) == []

    # A button: an admin broadcasts with ✅ Kirim; the broadcast reaches every channel.
    broadcast_with_kirim(bot_api, "Rapat koordinasi humas", ADMIN, CHANNELS)
    bot_api.wait_for_calls(1, 15, method="answerCallbackQuery")

    pushes = bot_api.calls(method="_webhook")
    assert pushes and all(p["ok"] for p in pushes)
    assert bot_api.calls(method="getUpdates") == []

    # The metrics agree with what the Bot API received: every post and the broadcast.
    sent = sum(
        len(bot_api.calls(method=m, chat_id=c, ok=True))
        for c in CHANNELS
        for m in ("sendMessage", "sendPhoto")
    )
    text = wait_for(
        lambda: get(base + "/metrics"),
        lambda r: metric(r.text, "humasbot_messages_sent_total") == sent,
    ).text
    assert sent == 2 * count + 2
    assert metric(text, "humasbot_election_items_total") == count
    assert metric(text, "humasbot_outbox_pending") == 0

    code, stderr = stop(process)
    assert code == 0, stderr
    assert SECRET not in stderr and "TEST-token" not in stderr
    assert "webhook refused reason=wrong_secret" in stderr
    # The webhook stays set when one instance stops: the others behind the balancer go on.
    assert bot_api.calls(method="deleteWebhook") == []


def test_webhook_mode_refuses_to_start_without_the_secret(webhook_config, bot_env, bot_api):
    result = humasbot("--config", str(webhook_config), "run", env=bot_env, cwd=ROOT, timeout=30)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "TELEGRAM_WEBHOOK_SECRET" in lines[0]
    assert bot_api.calls() == []  # not even getMe
    weak = {**bot_env, "TELEGRAM_WEBHOOK_SECRET": "tidak boleh spasi"}
    result = humasbot("--config", str(webhook_config), "run", env=weak, cwd=ROOT, timeout=30)
    assert result.returncode == 2 and "TELEGRAM_WEBHOOK_SECRET" in result.stderr
