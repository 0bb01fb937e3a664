"""Direct quotes: every “...”, "..." or ”...” span that is speech, in order.

A mark opens or closes by what surrounds it (a mark after a comma closes, a mark after a space
opens), so sources that mix “ ” and " or use ” on both sides still pair up. A closing mark with no
opening one (the source lost it) starts the quote at the paragraph's start when an attribution
("...,” ujarnya) follows. A quote left open at the end of a paragraph ends there (Indonesian
style re-opens the next paragraph). Quoted titles and scare quotes are not speech: a quote counts
when it ends in punctuation inside the marks, is followed by an attribution, or is introduced by
"X mengatakan:" / "Menurutnya,".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.analyse.vocabulary import ATTRIBUTION_VERBS

_OPENERS = "“„«‟"
_CLOSERS = "”»"
_MARKS = re.compile(r"[\"“”„‟«»]")
_SPACE_BEFORE = " \t\n([{—–-:"
_END_PUNCT = ",.!?…;"

_VERBS = "|".join(sorted(ATTRIBUTION_VERBS, key=len, reverse=True))
ATTRIBUTION = re.compile(
    rf"[\s,.]{{0,3}}(?P<verb>{'|'.join(sorted(ATTRIBUTION_VERBS))})(?P<suffix>nya|ya)?\b(?P<rest>[^\n]{{0,160}})",
    re.IGNORECASE,
)
_INTRO = re.compile(
    r"(?:\b(?:mengatakan|menyatakan|menegaskan|menjelaskan|mengungkapkan|menuturkan|"
    r"menyampaikan|menambahkan|memaparkan|menerangkan|mengingatkan|berkata|berpesan|bilang|"
    r"menyebut|menyebutkan|mengaku|menilai|menekankan)\b[^.\n]{0,80}|\bmenurut(?:nya)?\b"
    r"[^.\n]{0,60})[,:]\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class RawQuote:
    text: str  # without marks, whitespace collapsed, trailing comma removed
    start: int  # offset of the opening mark (or of the paragraph start when it was lost)
    end: int  # offset just after the closing mark (or the paragraph end)
    closed: bool  # False when the quote ran to the end of its paragraph


def _kind(text: str, i: int) -> str:
    mark = text[i]
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    closes_after = prev in _END_PUNCT or (not prev.isspace() and (nxt.isspace() or nxt in ".,;:"))
    opens_here = prev.isspace() or prev in _SPACE_BEFORE
    if mark in _OPENERS:
        return "close" if closes_after and not opens_here else "open"
    if mark in _CLOSERS:
        return "open" if opens_here and not nxt.isspace() else "close"
    if opens_here and not nxt.isspace():
        return "open"
    return "close" if closes_after or not prev.isspace() else "open"


def _paragraph_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def _paragraph_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end == -1 else end


def _clean(fragment: str) -> str:
    cleaned = " ".join(fragment.split())
    return cleaned.rstrip(" ,;").strip()


def _is_speech(text: str, quote: str, start: int, end: int, closed: bool) -> bool:
    words = quote.split()
    if len(words) < 2:
        return False
    inner_end = text[:end].rstrip('"“”„‟«» ')[-1:] if closed else ""
    if inner_end and inner_end in _END_PUNCT:
        return True
    if ATTRIBUTION.match(text, end):
        return True
    before = text[_paragraph_start(text, start) : start]
    if _INTRO.search(before):
        return True
    return not closed and len(words) >= 6


def extract_quotes(text: str) -> list[RawQuote]:
    """Every direct quote in `text`, in order of appearance."""
    quotes: list[RawQuote] = []
    open_at: int | None = None
    depth = 0
    last_end = 0

    def emit(start: int, body_start: int, body_end: int, end: int, closed: bool) -> None:
        nonlocal last_end
        quote = _clean(text[body_start:body_end])
        if quote and _is_speech(text, quote, start, end, closed):
            quotes.append(RawQuote(quote, start, end, closed))
        last_end = end

    for match in _MARKS.finditer(text):
        i = match.start()
        kind = _kind(text, i)
        if kind == "open":
            if open_at is not None:
                paragraph_end = _paragraph_end(text, open_at)
                if paragraph_end >= i:
                    depth += 1  # a quote inside the quote
                    continue
                emit(open_at, open_at + 1, paragraph_end, paragraph_end, closed=False)
            open_at, depth = i, 0
        elif open_at is not None:
            if depth:
                depth -= 1
                continue
            emit(open_at, open_at + 1, i, i + 1, closed=True)
            open_at = None
        elif ATTRIBUTION.match(text, i + 1):
            start = max(_paragraph_start(text, i), last_end)
            emit(start, start, i, i + 1, closed=True)  # the opening mark was lost
    if open_at is not None:
        paragraph_end = _paragraph_end(text, open_at)
        emit(open_at, open_at + 1, paragraph_end, paragraph_end, closed=False)
    return quotes
