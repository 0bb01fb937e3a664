"""Ids in commands and buttons, read at the edge (every handler parses them here).

A word that is not an id at all is the handler's to answer (usually with its usage text). A
number that no record or Telegram user can have (too large for the database, zero, negative
where only positive ids exist) raises :class:`NotFound`; the error handler answers it with
"tidak ditemukan" and logs one line, no traceback. So such a number never reaches a service
or the database, where it raised OverflowError.
"""

from __future__ import annotations

import html
import re

from telegram import Update

from bot import ids
from bot.handlers.common import reply, say
from bot.handlers.context import HumasContext

_NUMBER = re.compile(r"^#?[+-]?\d+$")
SHOWN_CHARS = 40


class NotFound(Exception):
    """An id that cannot exist; answered "tidak ditemukan" by the error handler."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


def record_id(word: str) -> int | None:
    """The bot's own record id from "12" or "#12"; None when the word is not a number."""
    word = word.strip()
    if not _NUMBER.match(word):
        return None
    number = ids.record_id(word)
    if number is None:
        raise NotFound(word)
    return number


def user_id(word: str) -> int | None:
    """A Telegram user id; None when the word is not a number."""
    word = word.strip()
    if not _NUMBER.match(word):
        return None
    try:
        return ids.telegram_id(word.lstrip("#"), negative=False)
    except ValueError:
        raise NotFound(word) from None


def chat_ref(word: str) -> int | str | None:
    """A chat by numeric id or @username; None when the word is neither."""
    word = word.strip()
    if not _NUMBER.match(word):
        try:
            return ids.chat_ref(word)
        except ValueError:
            return None
    try:
        return ids.telegram_id(word)
    except ValueError:
        raise NotFound(word) from None


def callback_fields(data: str | None, count: int) -> list[str]:
    """The first ``count`` colon-separated fields of a button's data, "" for missing ones."""
    fields = (data or "").split(":", count - 1)
    return [*fields, *[""] * (count - len(fields))]


async def answer_not_found(update: Update, context: HumasContext, value: str) -> None:
    shown = value[:SHOWN_CHARS] + ("…" if len(value) > SHOWN_CHARS else "")
    if update.callback_query is not None:  # an alert shows plain text
        await update.callback_query.answer(
            say(update, context, "id_not_found", value=shown), show_alert=True
        )
        return
    await reply(update, context, "id_not_found", value=html.escape(shown))
