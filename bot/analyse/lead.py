"""Sentences, datelines and the lead sentence of an Indonesian news article."""

from __future__ import annotations

import re

from bot.analyse.vocabulary import ABBREVIATIONS

# "BALIKPAPAN, Inibalikpapan.com – ", "Jakarta (ANTARA) - ", "KOMPAS.com - ", "SAMARINDA – ",
# "Sinarkaltim.id, KUTAI KARTANEGARA – ", "Malang, jatim.kpu.go.id - ", "BALIKPAPAN: "
_DATELINE = re.compile(
    r"""^\s*(?:
        (?:[A-Z][\w.'’]*(?:\s+[A-Z][\w.'’]*){0,3})              # place or outlet
        (?:\s*,\s*[\w.'’]+(?:\s+[A-Z][\w.'’]*){0,3})?            # , outlet or place
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
_QUOTE_MARKS = ('"', "“", "”", "„", "«")


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


def lead_sentence(text: str) -> str:
    """One sentence: the first of the article, its dateline removed."""
    body = strip_dateline((text or "")[:_HEAD_CHARS])
    candidates = [" ".join(s.split()) for s in sentences(body)[:4]]
    candidates = [c for c in candidates if len(c.split()) >= 3 or c.endswith((".", "!", "?"))]
    for sentence in candidates:
        if not sentence.startswith(_QUOTE_MARKS):  # a quote is not a lead
            return sentence
    return candidates[0] if candidates else " ".join(body.split())[:300]


def lead_end(text: str, count: int = 2) -> int:
    """Offset in `text` where its first `count` sentences (after the dateline) end."""
    head = (text or "")[:_HEAD_CHARS]
    body = strip_dateline(head)
    offset = len(head) - len(body)
    ends = sentence_ends(body)
    return offset + ends[min(count, len(ends)) - 1] if ends else offset
