"""The fake Bot API itself: Telegram's HTML wording, long polling, the HTTP control API."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from telegram import Bot
from telegram.error import BadRequest

from tests.deliver.support import CHANNEL, TOKEN
from tests.fakes.bot_api import EntityParseError, FakeBotAPI, parse_html

FAKE = Path(__file__).resolve().parents[1] / "fakes" / "bot_api.py"


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("price < 100", 'Unsupported start tag "" at byte offset 6'),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("é </b>", "Unexpected end tag at byte offset 3"),
        ("<a href=>x</a>", 'Empty value of the attribute "href" of the tag "a" at byte offset 8'),
    ],
)
def test_html_errors_use_telegrams_wording(html: str, error: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(html)
    assert str(caught.value) == f"can't parse entities: {error}"


def test_html_entities_and_utf16_offsets() -> None:
    text, entities = parse_html(
        '🗳️ <b>Pemilu</b> &lt;3 <a href="https://kpu.go.id/?a=1&amp;b=2">KPU</a>'
    )
    assert text == "🗳️ Pemilu <3 KPU"
    assert entities == [
        {"type": "bold", "offset": 4, "length": 6},  # 🗳 is two UTF-16 units, VS16 one
        {"type": "text_link", "offset": 14, "length": 3, "url": "https://kpu.go.id/?a=1&b=2"},
    ]


async def test_length_limits_and_empty_text(fake: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(CHANNEL, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")  # tags are free
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(CHANNEL, "x" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(CHANNEL, "<b> </b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(CHANNEL, "https://x.id/a.jpg", caption="y" * 1025)


async def test_long_poll_wakes_on_an_injected_update(fake: FakeBotAPI, bot: Bot) -> None:
    threading.Timer(0.2, fake.inject_update, kwargs={"text": "/start halo", "user_id": 42}).start()
    started = time.monotonic()
    updates = await bot.get_updates(timeout=10)
    assert time.monotonic() - started < 2
    message = updates[0].message
    assert message and message.text == "/start halo" and message.chat.type == "private"
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 6
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
    await bot.send_message(42, "Halo <b>Tester</b>", parse_mode="HTML")
    assert fake.wait_for_calls(1, 1, method="sendMessage", chat_id=42)[0]["ok"]


@pytest.mark.slow
def test_runs_as_a_process_with_an_http_control_api() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            str(FAKE),
            "--port",
            "0",
            "--chat=-1001:channel:Humas",
            "--max-seconds",
            "30",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready = process.stdout.readline().split()  # type: ignore[union-attr]
        assert ready[0] == "FAKE_BOT_API_READY"
        url = ready[1]

        def call(path: str, body: dict | None = None) -> dict:
            data = json.dumps(body).encode() if body is not None else None
            headers = {"Content-Type": "application/json"}
            with urllib.request.urlopen(urllib.request.Request(url + path, data, headers)) as resp:
                return json.load(resp)

        sent = call(
            f"/bot{TOKEN}/sendMessage",
            {"chat_id": -1001, "text": "<i>hai</i>", "parse_mode": "HTML"},
        )
        assert sent["result"]["text"] == "hai" and sent["result"]["sender_chat"]["id"] == -1001
        assert call("/_control/inject_update", {"text": "/mulai", "user_id": 7})["ok"]
        calls = call("/_control/calls?method=sendMessage&min_count=1&wait=2")["result"]
        assert [c["chat_id"] for c in calls] == [-1001]
        call("/_control/shutdown", {})
        assert process.wait(timeout=5) == 0
    finally:
        process.kill()
        process.wait()
