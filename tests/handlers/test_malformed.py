"""Random and malformed arguments to every command: the bot answers each and stays up."""

from __future__ import annotations

import random

from bot.handlers import COMMANDS
from bot.ratelimit import CommandLimiter
from tests.handlers.harness import ADMIN, USER, Bot

MALFORMED = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "#",
    "ke:",
    "ke:,,,",
    "tambah",
    "hapus",
    "hapus x",
    "tambah http://",
    "<b>",
    "</i>&amp;",
    "'; DROP TABLE items; --",
    "🗳️" * 50,
    "\u0000",
    "a" * 3000,
    "harian",
    "mingguan",
    "besok",
    "31/02",
    "2024-02-30 07.00",
    "25:99 x",
    "ke:@x teks",
    "#0",
]


def _random_args(rng: random.Random) -> str:
    alphabet = "abcXYZ019.:/-#@<>&_ \u00e9🗳"
    return " ".join(
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        for _ in range(rng.randint(1, 4))
    )


async def test_every_command_answers_malformed_and_random_arguments(bot: Bot):
    bot.services.limiter = CommandLimiter(limit=10_000)  # a fuzzer, not a flood (test_flood.py)
    rng = random.Random(6)
    commands = sorted(COMMANDS)
    cases = [(c, a) for c in commands for a in rng.sample(MALFORMED, 3)]
    cases += [(rng.choice(commands), _random_args(rng)) for _ in range(30)]
    for number, (command, args) in enumerate(cases):
        user = ADMIN if number % 2 else USER
        replies = await bot.ask(f"/{command} {args}".strip(), user_id=user, replies=1)
        assert replies[0]["ok"], (command, args, replies[0])
    answers = bot.sent_to(USER) + bot.sent_to(ADMIN)
    assert len(answers) >= len(cases) and all(a["text"] and a["ok"] for a in answers)
    assert not any("Traceback" in a["text"] for a in answers)
    (reply,) = await bot.ask("/start")
    assert "humasbot" in reply["text"]
