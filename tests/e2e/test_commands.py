"""The real `humasbot run` process: an admin broadcasts with ✅ Kirim, a user subscribes, and a
non-admin is refused."""

from __future__ import annotations

import json

from tests.e2e.conftest import CHANNELS
from tests.e2e.feeds import election_titles
from tests.e2e.test_run import start_service, stop

ADMIN, USER = 42, 555


def _buttons(call: dict) -> list[str]:
    markup = call["params"].get("reply_markup") or {}
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def broadcast_with_kirim(bot_api, text: str, admin: int, channels) -> None:
    """An admin's /siarkan TEXT, then ✅ Kirim under its preview; waits until every channel got
    it. The preview is the post as it will appear; the keyboard is put under it, then a note."""
    bot_api.inject_update(f"/siarkan {text}", user_id=admin)
    preview = bot_api.wait_for_calls(2, 15, method="sendMessage", chat_id=admin)[0]
    (keyboard,) = bot_api.wait_for_calls(1, 15, method="editMessageReplyMarkup")
    bot_api.inject_update(
        kind="callback_query",
        callback_data=_buttons(keyboard)[0],
        message_id=preview["message_id"],
        user_id=admin,
    )
    for chat_id in channels:
        bot_api.wait_for_calls(1, 15, method="sendMessage", chat_id=chat_id, text=text)


def test_admin_broadcast_and_subscription_in_the_real_process(bot_api, config_file, bot_env):
    process = start_service(config_file, bot_env)
    try:
        count = len(election_titles())
        for chat_id in CHANNELS:
            bot_api.wait_for_calls(count, 30, method="sendMessage", chat_id=chat_id, ok=True)
        bot_api.inject_update("/siarkan Rapat koordinasi humas", user_id=USER)
        refusal = bot_api.wait_for_calls(1, 10, method="sendMessage", chat_id=USER)[-1]
        assert "hanya untuk admin" in refusal["text"]

        bot_api.inject_update("/siarkan Rapat koordinasi humas", user_id=ADMIN)
        preview = bot_api.wait_for_calls(2, 10, method="sendMessage", chat_id=ADMIN)[0]
        (keyboard,) = bot_api.wait_for_calls(1, 10, method="editMessageReplyMarkup")
        ok = _buttons(keyboard)[0]
        message_id = preview["message_id"]
        bot_api.inject_update(
            kind="callback_query", callback_data=ok, message_id=message_id, user_id=ADMIN
        )
        for chat_id in CHANNELS:
            bot_api.wait_for_calls(
                1, 10, method="sendMessage", chat_id=chat_id, text="Rapat koordinasi humas"
            )

        bot_api.inject_update("/langganan pilkada", user_id=USER)
        reply = bot_api.wait_for_calls(2, 10, method="sendMessage", chat_id=USER)[-1]
        assert "Pilkada" in reply["text"]
    finally:
        code, stderr = stop(process)
    assert code == 0, stderr
    for chat_id in CHANNELS:
        sent = bot_api.calls(method="sendMessage", chat_id=chat_id, ok=True)
        assert [s["text"] for s in sent].count("Rapat koordinasi humas") == 1
