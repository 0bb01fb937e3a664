"""A message's text after its first words, with its formatting, as Telegram HTML.

Cutting the message's HTML (``text_html``) after the command's words breaks the markup when an
entity spans the cut (``<b>/siarkan Rapat</b> …``). Instead the plain text is cut, and each
entity clipped to what remains and shifted by the cut, in UTF-16 code units as Telegram counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from telegram import Chat, Message, MessageEntity

_WORD = re.compile(r"\s*\S+")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _start_after_words(text: str, count: int) -> int:
    """Where the text begins after its first `count` words and the blanks that follow."""
    position = 0
    for _ in range(count):
        match = _WORD.match(text, position)
        if match is None:
            return len(text)
        position = match.end()
    return len(text) - len(text[position:].lstrip())


def html_after_words(text: str, entities: Sequence[MessageEntity], count: int) -> str:
    """The HTML of `text` without its first `count` words (trailing blanks dropped)."""
    start = _start_after_words(text, count)
    rest = text[start:].rstrip()
    if not rest:
        return ""
    begin = _utf16(text[:start])
    end = begin + _utf16(rest)
    clipped = []
    for entity in entities:
        if entity.type == MessageEntity.BOT_COMMAND:
            continue
        left, right = max(entity.offset, begin), min(entity.offset + entity.length, end)
        if right > left:
            clipped.append(_moved(entity, left - begin, right - left))
    message = Message(0, datetime.now(UTC), Chat(0, Chat.PRIVATE), text=rest, entities=clipped)
    return message.text_html


def _moved(entity: MessageEntity, offset: int, length: int) -> MessageEntity:
    return MessageEntity(
        entity.type,
        offset,
        length,
        url=entity.url,
        user=entity.user,
        language=entity.language,
        custom_emoji_id=entity.custom_emoji_id,
    )
