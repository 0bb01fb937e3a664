"""Template filters: local times, a Telegram post as safe HTML, highlighted terms.

Everything from the database or a feed is text: it is escaped, and the only markup that reaches
the page is what these functions build themselves.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from markupsafe import Markup

from bot.dates import zone_abbreviation

_PATTERNS = {"id": "d MMM y HH.mm", "en": "d MMM y HH:mm"}
# Telegram's HTML tags (https://core.telegram.org/bots/api#html-style) as they look on a page.
_TAGS = {
    "b": "strong",
    "strong": "strong",
    "i": "em",
    "em": "em",
    "u": "u",
    "ins": "u",
    "s": "s",
    "strike": "s",
    "del": "s",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-spoiler": "span",
    "span": "span",
    "a": "a",
}


def when(moment: datetime | None, zone: str, language: str = "id") -> str:
    """ "7 Des 2026 14.05 WITA"; "-" for no time."""
    if moment is None:
        return "-"
    local = moment.astimezone(ZoneInfo(zone))
    text = format_datetime(local, _PATTERNS.get(language, _PATTERNS["id"]), locale=language)
    return f"{text} {zone_abbreviation(zone, local)}"


class _Post(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = _TAGS.get(tag)
        if shown is None:
            return
        if shown == "a":
            href = dict(attrs).get("href") or ""
            if not re.match(r"^https?://", href, re.IGNORECASE):
                self.open.append("")
                return
            self.out.append(f'<a href="{html.escape(href)}" rel="noopener noreferrer">')
        else:
            self.out.append(f"<{shown}>")
        self.open.append(shown)

    def handle_endtag(self, tag: str) -> None:
        if _TAGS.get(tag) is None or not self.open:
            return
        shown = self.open.pop()
        if shown:
            self.out.append(f"</{shown}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data).replace("\n", "<br>"))  # .tg keeps white space

    def result(self) -> str:
        self.close()
        closing = "".join(f"</{tag}>" for tag in reversed(self.open) if tag)
        return "".join(self.out) + closing


def telegram(post_html: str | None) -> Markup:
    """A post in Telegram's HTML as it will look: its tags kept, anything else escaped; links
    only to http(s)."""
    parser = _Post()
    parser.feed(post_html or "")
    return Markup(parser.result())


def highlight(text: str, terms: Iterable[str]) -> Markup:
    """The text escaped, each occurrence of a term (any case, whole words) in <mark>, its
    paragraphs kept."""
    words = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not words:
        return _paragraphs(html.escape(text))
    # whole words only: "aman" is marked in "aman", not inside "nyaman"
    alternatives = "|".join(re.escape(w) for w in words)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    parts, last = [], 0
    for found in pattern.finditer(text):
        parts.append(html.escape(text[last : found.start()]))
        parts.append(f"<mark>{html.escape(found.group(0))}</mark>")
        last = found.end()
    parts.append(html.escape(text[last:]))
    return _paragraphs("".join(parts))


def _paragraphs(escaped: str) -> Markup:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", escaped) if b.strip()]
    return Markup("".join(f"<p>{b.replace(chr(10), '<br>')}</p>" for b in blocks))


def number(value: Any) -> str:
    return f"{int(value):,}".replace(",", ".")


FILTERS = {"when": when, "telegram": telegram, "highlight": highlight, "number": number}
