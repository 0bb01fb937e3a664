"""Who said each quote.

In order of preference: a name after the quote ("...,” ujar Sri", resolved to the person the
article first named); the person last named before the quote or the last quote's speaker for a
pronoun or a bare "-nya" ("ujarnya", "lanjut dia", "Menurutnya, “...”") and for a quote with
no attribution; a quote left open at a paragraph's end takes the speaker of the quote that
continues it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.analyse.names import place_words
from bot.analyse.people import Mention, Person, Registry, find_mentions, lower_case_words
from bot.analyse.quotes import ATTRIBUTION, RawQuote
from bot.models import Quote

_PRONOUN = re.compile(r"\s*(?:dia|ia|beliau)\b", re.IGNORECASE)


def _mask(text: str, quotes: list[RawQuote]) -> str:
    chars = list(text)
    for quote in quotes:
        for i in range(quote.start, quote.end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _named_after(quote: RawQuote, text: str, mentions: list[Mention]) -> Mention | None:
    match = ATTRIBUTION.match(text, quote.end)
    if match is None or match.group("suffix") or _PRONOUN.match(match.group("rest")):
        return None
    rest_at = match.start("rest")
    for mention in mentions:
        if rest_at <= mention.start <= rest_at + 3:
            return mention
    return None


@dataclass(frozen=True, slots=True)
class Cast:
    """The people of one article and where the text names them."""

    mentions: list[Mention]

    def in_view(self, offset: int) -> Person | None:
        """The person last named before `offset` (the one "Ia" or "Dia" there refers to)."""
        before = [m for m in self.mentions if m.end <= offset and m.person.name]
        return before[-1].person if before else None


def read_cast(text: str, raw: list[RawQuote]) -> Cast:
    """The article's people, found outside its quotes."""
    masked = _mask(text, raw)
    return Cast(find_mentions(masked, Registry(place_words(masked), lower_case_words(masked))))


def attribute(text: str, raw: list[RawQuote], cast: Cast | None = None) -> list[Quote]:
    """Quotes with speakers, resolved through the article's people."""
    mentions = (cast or read_cast(text, raw)).mentions
    speakers: list[Person | None] = []
    current: tuple[int, Person | None] = (-1, None)  # (offset, person) in view
    for quote in raw:
        named = _named_after(quote, text, mentions)
        before = [m for m in mentions if m.end <= quote.start]
        if before and before[-1].start > current[0]:
            current = (before[-1].start, before[-1].person)
        speaker = named.person if named else current[1]
        speakers.append(speaker)
        current = (named.start if named else quote.start, speaker)
    for i, quote in enumerate(raw[:-1]):
        if not quote.closed and _named_after(raw[i + 1], text, mentions):
            speakers[i] = speakers[i + 1]  # a quote that runs on into the next paragraph
    return [_quote(q.text, s) for q, s in zip(raw, speakers, strict=True)]


def _quote(text: str, person: Person | None) -> Quote:
    if person is None:
        return Quote(text, None)
    return Quote(text, person.display, person.name, person.role)
