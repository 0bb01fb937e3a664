"""Reading what an admin wants broadcast: `ke:CHAT,CHAT`, an item reference, and the text with
its formatting (the message's HTML after the command's own words)."""

from __future__ import annotations

import re

_TARGETS = re.compile(r"^(?:ke|to):(\S+)$", re.IGNORECASE)
_ITEM = re.compile(r"^(?:#|berita:|item:)(\d{1,12})$", re.IGNORECASE)
MAX_TEXT = 4096
MAX_CAPTION = 1024


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


def unknown_targets(targets: tuple[str, ...], known: set[str]) -> list[str]:
    return [t for t in targets if t not in known]
