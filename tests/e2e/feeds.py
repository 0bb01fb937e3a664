"""Real RSS documents built from real articles (tests/data/e2e_articles.jsonl), dated relative to
now so that they count as fresh news for the pipeline under test."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ARTICLES = Path(__file__).parent.parent / "data" / "e2e_articles.jsonl"


def articles() -> list[dict]:
    return [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines()]


def election_titles() -> set[str]:
    return {a["title"] for a in articles() if a["is_election"]}


def rss(items: list[dict], *, now: datetime | None = None, title: str = "Berita Uji") -> bytes:
    """An RSS 2.0 feed; item i was published i+1 hours before now (the first is the newest)."""
    now = now or datetime.now(UTC)
    entries = []
    for i, article in enumerate(items):
        published = format_datetime(now - timedelta(hours=i + 1))
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article["text"].split("\n") if p)
        link = f"https://berita.example/{article['id']}"
        entries.append(
            f"<item><title>{escape(article['title'])}</title><link>{link}</link>"
            f"<guid isPermaLink='false'>{article['id']}</guid><pubDate>{published}</pubDate>"
            f"<description>{escape(article['text'][:200])}</description>"
            f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{escape(title)}</title><link>https://berita.example/</link>"
        f"<description>uji</description>{''.join(entries)}</channel></rss>"
    ).encode()
