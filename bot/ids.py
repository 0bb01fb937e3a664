"""What counts as an id, in one place: for the config, the command line and the bot's commands.

Telegram's user and chat ids have at most 52 significant bits (0 is none of them); the bot's own
record ids (#12: a feed, a channel, a schedule, a review) are positive and fit the database's
64-bit integers. Anything else is refused before it reaches the database, where a huge number
would raise OverflowError.
"""

from __future__ import annotations

import re

MAX_TELEGRAM_ID = 2**53 - 1
MAX_RECORD_ID = 2**63 - 1
_USERNAME = re.compile(r"^@[A-Za-z0-9_]{4,32}$")
_INTEGER = re.compile(r"^[+-]?\d{1,20}$")
_RECORD = re.compile(r"^#?(\d{1,19})$")


def telegram_id(value: object, *, negative: bool = True) -> int:
    """A Telegram user or chat id from an int or its decimal text; ValueError otherwise.
    ``negative=False`` for users (only chats have negative ids)."""
    if isinstance(value, bool):
        raise ValueError("harus ID numerik, bukan true/false")
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        value = int(value.strip())
    if not isinstance(value, int):
        raise ValueError("harus ID numerik")
    if value == 0 or abs(value) > MAX_TELEGRAM_ID or (value < 0 and not negative):
        raise ValueError(f"{value} bukan ID Telegram yang mungkin")
    return value


def chat_ref(value: object) -> int | str:
    """A chat by numeric id or @username; ValueError otherwise."""
    if isinstance(value, str) and _USERNAME.match(value.strip()):
        return value.strip()
    try:
        return telegram_id(value)
    except ValueError:
        raise ValueError("harus ID numerik atau @username") from None


def chat_key(ref: int | str) -> str:
    """The form two references to the same chat share: usernames ignore case."""
    return ref.lower() if isinstance(ref, str) else str(ref)


def record_id(text: str) -> int | None:
    """The bot's own record id from "12" or "#12"; None when it cannot be one."""
    match = _RECORD.match(text.strip())
    if match is None:
        return None
    number = int(match[1])
    return number if 1 <= number <= MAX_RECORD_ID else None
