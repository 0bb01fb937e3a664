"""The other sources of a story, named under its post: "Juga diberitakan: A, B".

The line is added only where it fits: a post or caption that would grow past Telegram's limit
(as HTML or as its plain-text fallback) keeps its original text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.format.html import CAPTION_LIMIT, TEXT_LIMIT, escape, safe_href
from bot.format.post import measure
from bot.models import Post

LABEL = "Juga diberitakan"
MAX_SOURCES = 5


def sources_line(sources: Sequence[tuple[str, str | None]]) -> str:
    """The HTML line naming each other source once (linked when its link is safe)."""
    parts: list[str] = []
    seen: set[str] = set()
    for name, link in sources:
        if name in seen:
            continue
        seen.add(name)
        href = safe_href(link)
        parts.append(f'<a href="{escape(href)}">{escape(name)}</a>' if href else escape(name))
        if len(parts) == MAX_SOURCES:
            break
    return f"{LABEL}: {', '.join(parts)}" if parts else ""


def with_other_sources(post: Post, sources: Sequence[tuple[str, str | None]]) -> Post:
    line = sources_line(sources)
    if not line:
        return post
    html = _added(post.html, line, TEXT_LIMIT)
    caption = _added(post.caption, line, CAPTION_LIMIT) if post.caption else post.caption
    return replace(post, html=html, caption=caption)


def _added(html: str, line: str, limit: int) -> str:
    longer = f"{html}\n{line}"
    return longer if measure(longer) <= limit else html
