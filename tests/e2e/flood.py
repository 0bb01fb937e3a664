"""One user floods the real `humasbot run` process while an admin works; the figures are shared
by the end-to-end test (which asserts on them) and bench/flood.py (which prints them)."""

from __future__ import annotations

import time
from typing import Any

from tests.fakes.bot_api import FakeBotAPI

FLOODER, ADMIN = 555, 42
TOO_MANY = "terlalu banyak permintaan"


def flood(api: FakeBotAPI, *, latest: int = 5, starts: int = 300) -> dict[str, Any]:
    """`latest` × /terbaru 10 and `starts` × /start from one user, then an admin's /status:
    how long the admin waited (from the update's arrival to the reply's)."""
    for _ in range(latest):
        api.inject_update("/terbaru 10", user_id=FLOODER)
    for _ in range(starts):
        api.inject_update("/start", user_id=FLOODER)
    before = len(api.calls(method="sendMessage", chat_id=ADMIN))
    asked = time.time()
    api.inject_update("/status", user_id=ADMIN)
    answer = api.wait_for_calls(before + 1, 30, method="sendMessage", chat_id=ADMIN)[before]
    return {
        "flood_updates": latest + starts,
        "admin_reply_seconds": round(answer["time"] - asked, 3),
        "admin_reply_ok": answer["ok"] and "Status humasbot" in (answer["text"] or ""),
    }


def wait_for_notice(api: FakeBotAPI, timeout: float = 60) -> None:
    """Until the flooder was told there are too many requests (each new call wakes us)."""
    deadline = time.monotonic() + timeout
    while True:
        calls = api.calls(method="sendMessage", chat_id=FLOODER)
        if any(TOO_MANY in (c["text"] or "") for c in calls):
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the flooder was never told about the limit")
        api.wait_for_calls(len(calls) + 1, remaining, method="sendMessage", chat_id=FLOODER)


def outcome(api: FakeBotAPI) -> dict[str, Any]:
    """What the flooder received, once the process has stopped."""
    calls = api.calls(method="sendMessage", chat_id=FLOODER)
    return {
        "replies_to_flooder": sum(c["ok"] for c in calls),
        "refused_429": sum(c["status"] == 429 for c in calls),
        "notices": sum(TOO_MANY in (c["text"] or "") for c in calls),
        "error_replies": sum("gangguan" in (c["text"] or "") for c in calls),
    }
