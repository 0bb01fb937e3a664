"""Arguments of commands and buttons, read at the edge (every handler parses them here): ids,
`ke:CHAT,CHAT` targets, an item reference, the text after the command's words.

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
_TARGETS = re.compile(r"^(?:ke|to):(\S+)$", re.IGNORECASE)
_ITEM = re.compile(r"^(?:#|berita:|item:)(\d{1,12})$", re.IGNORECASE)
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


def split_targets(words: list[str]) -> tuple[tuple[str, ...] | None, list[str]]:
    """`ke:@a,-100123 rest…` -> (("@a", "-100123"), rest); no `ke:` -> (None, words)."""
    if words and (match := _TARGETS.match(words[0])):
        targets = tuple(dict.fromkeys(t for t in match[1].split(",") if t))
        return targets, words[1:]
    return None, words


def item_reference(words: list[str]) -> int | None:
    """`#123`, `berita:123` or `item:123` as the whole text: a stored item by id."""
    if len(words) == 1 and (match := _ITEM.match(words[0])):
        return int(match[1])
    return None


def strip_words(text: str, count: int) -> str:
    """`text` without its first `count` whitespace-separated words (line breaks after kept)."""
    pattern = r"^\s*(?:\S+[ \t]*(?:\n|$)?[ \t]*){" + str(count) + "}"
    match = re.match(pattern, text) if count else None
    return (text[match.end() :] if match else text).strip()
