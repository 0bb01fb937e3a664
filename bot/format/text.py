"""Plain-text preparation of the pieces of a post: tidy, shorten, name the source, hashtags."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from urllib.parse import urlsplit

ELLIPSIS = "…"
QUOTE_MARKS = "\"'“”„‟«»‘’‚‛「」"
_TRAILING_JUNK = " ,;:-–—(["
# Telegram drops these: bidi embeddings and overrides.
_DROPPED = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E}
# A hashtag keeps letters, digits and '_'.
_HASHTAG_JUNK = re.compile(r"[^\w]+")
# Letters Telegram strips as "empty" at the ends of a text (blank braille, Hangul fillers).
_BLANK_LETTERS = frozenset("\u2800\u3164\u115f\u1160\uffa0")


def has_substance(text: str) -> bool:
    """True when ``text`` shows something: a letter, digit, punctuation mark or symbol.

    Text made only of spaces, joiners, combining marks or format characters is empty to
    Telegram ("message text is empty").
    """
    return any(unicodedata.category(ch)[0] in "LNPS" and ch not in _BLANK_LETTERS for ch in text)


def clean_text(text: str | None) -> str:
    """One line of readable text: no control characters, whitespace runs collapsed.

    Text with nothing visible in it becomes "".
    """
    if not text:
        return ""
    cleaned = " ".join("".join(map(_visible_char, text)).split())
    return cleaned if has_substance(cleaned) else ""


def _visible_char(ch: str) -> str:
    if ch.isspace():
        return " "
    if unicodedata.category(ch) in ("Cc", "Cs") or ord(ch) in _DROPPED:
        return ""
    return ch


def shorten(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut at a word boundary and ended with "…".

    Falls back to a hard cut when the last word boundary would waste more than a third of the
    room (one very long word, or a language without spaces).
    """
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ""
    room = limit - len(ELLIPSIS)
    cut = text[: room + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space >= room * 2 // 3 else cut[:room]
    cut = _drop_dangling_joiners(cut.rstrip(_TRAILING_JUNK))
    return f"{cut}{ELLIPSIS}" if cut else ""


def _drop_dangling_joiners(text: str) -> str:
    """Do not end on a zero-width joiner or a lone combining mark left by a hard cut."""
    while text and (text[-1] in "\u200d\ufe0f" or unicodedata.combining(text[-1])):
        text = text[:-1]
    return text


def unquote(text: str) -> str:
    """A quote's words without the quote marks around them."""
    return text.strip().strip(QUOTE_MARKS).strip()


def same_text(a: str, b: str) -> bool:
    """True when two texts say the same thing up to case and end punctuation."""

    def key(text: str) -> str:
        return clean_text(text).casefold().rstrip(" .!?…")

    return key(a) == key(b)


def host_name(link: str | None) -> str:
    """A readable source name from a link's host: "https://www.inibalikpapan.com/x" ->
    "inibalikpapan.com"."""
    if not link:
        return ""
    try:
        host = urlsplit(link.strip()).hostname or ""
    except ValueError:
        return ""
    if "xn--" in host:
        with contextlib.suppress(UnicodeError):
            host = host.encode("ascii").decode("idna")
    return host.removeprefix("www.")


def clean_hashtags(tags: tuple[str, ...], *, limit: int, max_length: int) -> tuple[str, ...]:
    """Hashtags Telegram recognises: word characters only, not all digits, no duplicates."""
    kept: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        word = _HASHTAG_JUNK.sub("", clean_text(tag))
        if not word or word.isdigit() or len(word) > max_length or word.casefold() in seen:
            continue
        seen.add(word.casefold())
        kept.append(word)
        if len(kept) == limit:
            break
    return tuple(kept)
