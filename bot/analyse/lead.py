"""Sentences, datelines and the lead sentence of an Indonesian news article."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from bot.analyse.quotes import extract_quotes
from bot.analyse.vocabulary import ABBREVIATIONS, NEEDS_BEFORE

# "BALIKPAPAN, Inibalikpapan.com – ", "Jakarta (ANTARA) - ", "KOMPAS.com - ", "SAMARINDA – ",
# "Sinarkaltim.id, KUTAI KARTANEGARA – ", "Malang, jatim.kpu.go.id - ", "BALIKPAPAN: "
_DATELINE = re.compile(
    r"""^\s*(?:
        (?:[A-Z][\w.'’]*(?:\s+[A-Z][\w.'’]*){0,3})              # place or outlet
        (?:\s*,\s*[\w.'’\-]+(?:\s+[A-Z][\w.'’]*){0,3})?         # , outlet or place
        (?:\s*\([^()\n]{1,40}\))?                                 # (ANTARA)
        \s*(?:[–—]|-{1,2})\s*(?=["“”'‘A-Z0-9])                    # dash
      | [A-Z]{3,}(?:\s+[A-Z]{3,}){0,2}\s*:\s+(?=["“A-Z0-9])        # BALIKPAPAN:
    )""",
    re.VERBOSE,
)

# Words after which a full stop does not end a sentence.
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s)|\n+")
_NEXT_STARTS_SENTENCE = re.compile(r"\s*[\"“‘(\[]?[A-Z0-9]")
_HEAD_CHARS = 3000  # the lead is in the first paragraphs; do not split a whole long body
_LAST_WORD = re.compile(r"(\w+)\W*$")
_QUOTE_MARKS = ('"', "“", "”", "„", "«", "»", "‟")
LEAD_MIN_WORDS = 6
_LEAD_PARAGRAPHS = 4  # the lead is a sentence of the opening paragraphs
_WORD = re.compile(r"\w+")
_SENTENCE_END = (".", "!", "?", ".)", "!)", "?)")
_PRONOUN_OPENER = re.compile(r"(?:Ia|Dia|Beliau)\s+(?=[a-z])")
_ENUMERATION = re.compile(r"[ \t]*(?:(?:\d+|[a-zA-Z])[.)]|[-•*–])[ \t]")
# "Rapat itu dihadiri ...", "Hal ini ...": a subject that points back at the sentence before.
# "Dalam paparannya, ...", "Akhirnya ...": a "-nya" that points back too.
_BACK_REFERENCE = re.compile(
    r"^(?:\w+\s+){1,2}(?:itu|tersebut)\b|^Hal\s+ini\b|^(?:\w+\s+)?\w+nya\b", re.IGNORECASE
)


def strip_dateline(text: str) -> str:
    """The text without a leading dateline such as "Jakarta (ANTARA) - "."""
    match = _DATELINE.match(text)
    if match and len(match.group()) <= 90:
        return text[match.end() :]
    return text.lstrip()


def sentence_ends(text: str) -> list[int]:
    """Character offsets just after each sentence end (the last one is len(text))."""
    ends: list[int] = []
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group().startswith("\n"):
            ends.append(match.start())
            continue
        before = _LAST_WORD.search(text, max(0, match.start() - 30), match.start() + 1)
        word = before.group(1).lower() if before else ""
        if word in ABBREVIATIONS or (word.isdigit() and text[end : end + 2].strip()[:1].isdigit()):
            continue
        if not _NEXT_STARTS_SENTENCE.match(text, end):
            continue
        ends.append(end)
    ends.append(len(text))
    return sorted({e for e in ends if e > 0})


def sentences(text: str) -> list[str]:
    """The sentences of `text`, stripped, in order."""
    result: list[str] = []
    start = 0
    for end in sentence_ends(text):
        piece = text[start:end].strip()
        if piece:
            result.append(piece)
        start = end
    return result


def sentence_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, offsets shifted by `start`, blanks trimmed."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for end in sentence_ends(text):
        piece = text[begin:end]
        if piece.strip():
            left = begin + len(piece) - len(piece.lstrip())
            right = end - (len(piece) - len(piece.rstrip()))
            spans.append((start + left, start + right))
        begin = end
    return spans


def lead_sentence(
    text: str,
    *,
    quotes: Sequence[tuple[int, int]] | None = None,
    who: Callable[[int], str | None] | None = None,
    key_quotes: Sequence[str] = (),
    description: str | None = None,
) -> str:
    """The first sentence of the opening paragraphs that a reader understands alone; else the
    feed's description's; else "".

    `quotes` are the (start, end) offsets of the text's direct quotes (found here when not
    given); `who(offset)` names the person "Ia"/"Dia" there refers to ("Ketua KPU Kaltim Fahmi
    Idris"), None when the article has not named anyone.
    """
    text = text or ""
    head = text[:_HEAD_CHARS]
    if quotes is None:
        quotes = [(q.start, q.end) for q in extract_quotes(head)]
    body = strip_dateline(head)
    offset = len(head) - len(body)
    paragraph_ends = [m.start() + offset for m in re.finditer(r"\n", body)] + [len(head)]
    last = paragraph_ends[min(_LEAD_PARAGRAPHS, len(paragraph_ends)) - 1]
    spans = [s for s in sentence_spans(body, offset) if s[1] <= last]
    for start, end in spans:
        if any(q_start < end and start < q_end for q_start, q_end in quotes):
            continue  # a quote, or the tail of one with its attribution
        if _ENUMERATION.match(head, head.rfind("\n", 0, start) + 1):
            continue  # an item of a list: "1. Fotokopi kartu tanda penduduk ..."
        sentence = _standalone(" ".join(head[start:end].split()), who(start) if who else None)
        if sentence and not _repeats(sentence, key_quotes):
            return sentence
    return _from_description(description, key_quotes)


def _standalone(sentence: str, person: str | None) -> str | None:
    """The sentence as a reader understands it alone, or None when it cannot stand alone."""
    if any(mark in sentence for mark in _QUOTE_MARKS):
        return None
    words = _WORD.findall(sentence)
    if len(words) < LEAD_MIN_WORDS or not sentence.endswith(_SENTENCE_END):
        return None
    if _ENUMERATION.match(sentence) or _BACK_REFERENCE.match(sentence):
        return None
    pronoun = _PRONOUN_OPENER.match(sentence)
    if pronoun:
        if not person:
            return None
        return f"{person} {sentence[pronoun.end() :]}"  # "Ia juga mengingatkan ..."
    return None if words[0].lower() in NEEDS_BEFORE else sentence


def _repeats(sentence: str, key_quotes: Sequence[str]) -> bool:
    """The sentence says what a key quote says, word for word or nearly (compared by words)."""
    mine = _WORD.findall(sentence.lower())
    for quote in key_quotes:
        theirs = _WORD.findall(quote.lower())
        if not theirs:
            continue
        if " ".join(theirs) in " ".join(mine):
            return True
        matcher = SequenceMatcher(None, mine, theirs, autojunk=False)
        if matcher.real_quick_ratio() >= 0.75 and matcher.ratio() >= 0.75:
            return True
    return False


def _from_description(description: str | None, key_quotes: Sequence[str]) -> str:
    body = strip_dateline(" ".join((description or "").split()))
    for sentence in sentences(body)[:2]:
        found = _standalone(sentence, None)
        if found and not _repeats(found, key_quotes):
            return found
    return ""


def lead_end(text: str, count: int = 2) -> int:
    """Offset in `text` where its first `count` sentences (after the dateline) end."""
    head = (text or "")[:_HEAD_CHARS]
    body = strip_dateline(head)
    offset = len(head) - len(body)
    ends = sentence_ends(body)
    return offset + ends[min(count, len(ends)) - 1] if ends else offset
