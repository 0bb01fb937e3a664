"""The analyse stage: is an article about the election, what do its people say, what is its lead.

Pure functions over text. The taxonomy (``bot/data/taxonomy.yaml`` unless a path is given) is
read once per path and cached; Sastrawi is loaded on first use, not at import.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from bot.models import Analysis

if TYPE_CHECKING:
    from bot.analyse.people import Person
    from bot.analyse.taxonomy import Taxonomy

__all__ = ["TaxonomyError", "analyze", "load_taxonomy"]

MAX_TEXT_CHARS = 60_000  # longer bodies are cut: no news article needs more


def __getattr__(name: str) -> object:
    if name == "TaxonomyError":
        from bot.analyse.taxonomy import TaxonomyError

        return TaxonomyError
    raise AttributeError(name)


@lru_cache(maxsize=8)
def load_taxonomy(path: str | None = None) -> Taxonomy:
    """The packaged taxonomy (None) or the one at `path`; raises TaxonomyError when invalid."""
    from bot.analyse.taxonomy import read_taxonomy

    return read_taxonomy(path)


def analyze(
    title: str | None,
    text: str,
    *,
    taxonomy: Taxonomy | None = None,
    description: str | None = None,
) -> Analysis:
    """Relevance with reasons, quotes with speakers, key quotes, lead, topics and hashtags.

    `description` is the feed's own summary of the article: the lead when no sentence of the
    text's opening paragraphs can stand alone.
    """
    from bot.analyse.keyquotes import key_quotes
    from bot.analyse.lead import lead_end, lead_sentence
    from bot.analyse.quotes import extract_quotes
    from bot.analyse.relevance import assess
    from bot.analyse.speakers import attribute, read_cast

    tax = taxonomy or load_taxonomy()
    title = _normalise(title or "")
    text = _normalise(text or "")[:MAX_TEXT_CHARS]
    relevance = assess(title, text, lead_end(text), tax)
    raw = extract_quotes(text)
    cast = read_cast(text, raw)
    quotes = tuple(attribute(text, raw, cast))
    keys = key_quotes(quotes, tax)
    lead = lead_sentence(
        text,
        quotes=[(q.start, q.end) for q in raw],
        who=lambda at: _who(cast.in_view(at)),
        key_quotes=[q.text for q in keys],
        description=_normalise(description) if description else None,
    )
    return Analysis(
        is_election=relevance.is_election,
        score=relevance.score,
        reasons=relevance.reasons,
        quotes=quotes,
        key_quotes=keys,
        lead=lead,
        topics=relevance.topics if relevance.is_election else (),
        hashtags=relevance.hashtags if relevance.is_election else (),
    )


def _who(person: Person | None) -> str | None:
    """ "Ketua KPU Kaltim Fahmi Idris": role and name, for a pronoun the lead replaces."""
    if person is None or not person.name:
        return None
    return f"{person.role} {person.name}" if person.role else person.name


def _normalise(text: str) -> str:
    """Unify line breaks and spaces; feeds mix \\r\\n, non-breaking spaces and tabs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u00a0", " ").replace("\u200b", "").replace("\t", " ")
