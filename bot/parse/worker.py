"""The functions worker processes run (see :mod:`bot.pipeline.workers`).

They live here, outside ``bot.pipeline``, because a worker imports the module of the function
it runs, with its package: from ``bot.pipeline`` that would pull in the database, HTTP and
Telegram libraries (about 110 MB per process); from here a worker needs feedparser, the
analysis (imported on first use) and, only if it extracts a page, trafilatura.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.parse.feed import parse_feed

if TYPE_CHECKING:
    from bot.models import Analysis

__all__ = ["Article", "analyse_batch", "extract_page_text", "parse_feed"]

# An article to analyse: title, body, and the feed's own summary (the lead's fallback).
Article = tuple[str, str, str]

_taxonomies: dict[str, Any] = {}  # taxonomies by digest, unpickled once per worker


def analyse_batch(key: str, packed: bytes, articles: Sequence[Article]) -> list[Analysis]:
    """Analyse (title, text, description) triples with the pickled taxonomy ``packed``; a
    worker unpickles (and warms up) each taxonomy once, not once per batch."""
    from bot.analyse import analyze

    taxonomy = _taxonomies.get(key)
    if taxonomy is None:
        taxonomy = _taxonomies[key] = pickle.loads(packed)
    return [
        analyze(title, text, taxonomy=taxonomy, description=description or None)
        for title, text, description in articles
    ]


def extract_page_text(body: bytes, url: str | None) -> str | None:
    """The main text of an article page (trafilatura, given bytes: it never downloads)."""
    import trafilatura

    text = trafilatura.extract(
        body, url=url, include_comments=False, include_tables=False, deduplicate=True
    )
    return text.strip() if text else None
