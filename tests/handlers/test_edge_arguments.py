"""Ids that cannot exist (too large for the database, empty, not numbers) are answered "tidak
ditemukan" where they come in, in commands and in button presses, and log no traceback."""

from __future__ import annotations

import logging

from tests.handlers.harness import ADMIN, Bot

HUGE = "9" * 20  # past a 64-bit integer: SQLite raised OverflowError

COMMANDS = [
    f"/admin tambah {HUGE}",
    f"/admin hapus {HUGE}",
    "/admin tambah -5",
    f"/batal {HUGE}",
    f"/batal #{HUGE}",
    f"/kanal hapus {HUGE}",
    f"/kanal hapus #{HUGE}",
    f"/kanal aktifkan -{HUGE}",
    f"/kanal tambah {HUGE}",
    f"/sumber hapus {HUGE}",
    f"/tarik {HUGE}",
    f"/koreksi {HUGE} teks baru",
]
BUTTONS = [f"bc:ok:{HUGE}", f"bc:no:{HUGE}", f"rv:pub:{HUGE}", f"rv:rej:{HUGE}"]


def handler_failures(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_garbage_ids_in_commands_are_not_found(bot: Bot, caplog):
    caplog.set_level(logging.ERROR)
    answers = {}
    for command in COMMANDS:
        (reply,) = await bot.ask(command, user_id=ADMIN)
        answers[command] = reply["text"]
    assert {c: a for c, a in answers.items() if "tidak ditemukan" not in a} == {}
    assert not handler_failures(caplog)


async def test_garbage_ids_in_buttons_are_not_found(bot: Bot, caplog):
    caplog.set_level(logging.ERROR)
    answers = {}
    for data in BUTTONS:
        await bot.press(data, message_id=1, replies=0)
        answers[data] = bot.api.calls(method="answerCallbackQuery")[-1]["params"].get("text", "")
    assert {d: a for d, a in answers.items() if "tidak ditemukan" not in a} == {}
    assert not handler_failures(caplog)
    assert all("gangguan" not in m["text"] for m in bot.sent_to(ADMIN))


async def test_malformed_search_buttons_are_answered(bot: Bot, caplog):
    caplog.set_level(logging.ERROR)
    for data in ["cari:", "cari:x", f"cari:{HUGE}:kpu", "cari:1:"]:
        await bot.press(data, message_id=1, replies=0)
    assert not handler_failures(caplog)
