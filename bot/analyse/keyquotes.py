"""The (at most two) quotes that carry the news, trimmed for a post."""

from __future__ import annotations

import re

from bot.analyse.lead import sentences
from bot.analyse.taxonomy import Taxonomy
from bot.analyse.vocabulary import SENIOR_ROLES
from bot.models import Quote

MAX_CHARS = 220
_FILLER = re.compile(
    r"^\W*(?:alhamdulillah|assalamu|terima kasih|selamat|semoga|mohon maaf|salam|mari kita|"
    r"insyaallah|puji syukur)",
    re.IGNORECASE,
)


def _score(quote: Quote, tax: Taxonomy) -> float:
    doc = tax.lexicon.doc(quote.text)
    hits = [h for h in tax.term_phrases.scan(doc) if h.payload.kind != "ambiguous"]
    score = 2.0 * min(len(hits), 3)
    words = quote.text.split()
    if quote.speaker is None:
        score -= 1.5
    else:
        speaker_words = {w.lower() for w in re.findall(r"\w+", quote.speaker)}
        score += 1.0 if speaker_words & SENIOR_ROLES else 0.0
        score += 1.0 if len(speaker_words) >= 3 else 0.0
    if _FILLER.match(quote.text):
        score -= 3.0
    if len(words) < 6:
        score -= 2.0
    elif len(words) <= 70:
        score += 1.0
    return score


def trim(text: str, limit: int = MAX_CHARS) -> str:
    """Whole sentences up to `limit` characters, then "…"; cut at a word when one is too long."""
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in sentences(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    if not kept:
        kept = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")
    return f"{kept.rstrip(' ,;:')} …"


def key_quotes(quotes: tuple[Quote, ...], tax: Taxonomy, count: int = 2) -> tuple[Quote, ...]:
    """The best `count` quotes in article order, each trimmed to MAX_CHARS."""
    scored = [(_score(q, tax), -i, i) for i, q in enumerate(quotes)]
    chosen: list[int] = []
    while scored and len(chosen) < count:
        speakers = {quotes[i].speaker for i in chosen}
        best = max(
            scored,
            key=lambda s: (s[0] + (0.5 if quotes[s[2]].speaker not in speakers else 0.0), s[1]),
        )
        if best[0] < 0 and chosen:
            break
        chosen.append(best[2])
        scored.remove(best)
    return tuple(Quote(trim(quotes[i].text), quotes[i].speaker) for i in sorted(chosen))
