"""Replies built from data, bounded by construction: every field is cut before it is escaped,
and lists are split into pages that each fit one Telegram message, whatever the data holds."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

from bot import i18n
from bot.format.html import escape, safe_href
from bot.format.text import shorten
from bot.storage.channels import CONFIG_REMOVED

PAGE_CHARS = 3500  # of the lines on one page: room under 4,096 for a heading and a footer
PAGE_LINES = 20
TITLE_CHARS = 200
NAME_CHARS = 80
ERROR_CHARS = 120
URL_CHARS = 200
MASK = "***"


def field(text: str | None, limit: int) -> str:
    """One field for an HTML list: whitespace collapsed, cut to `limit` characters, escaped."""
    return escape(shorten(" ".join((text or "").split()), limit))


def linked(label_html: str, url: str | None) -> str:
    """The label as a link when the URL is one Telegram accepts; the bare label otherwise."""
    href = safe_href(url)
    return f'<a href="{escape(href)}">{label_html}</a>' if href else label_html


def pages(
    lines: Sequence[str], *, chars: int = PAGE_CHARS, per_page: int = PAGE_LINES
) -> list[list[str]]:
    """The lines in pages of at most `per_page` lines and `chars` characters (a longer single
    line gets a page of its own: callers bound their lines)."""
    found: list[list[str]] = []
    page: list[str] = []
    size = 0
    for line in lines:
        if page and (len(page) >= per_page or size + len(line) + 1 > chars):
            found.append(page)
            page, size = [], 0
        page.append(line)
        size += len(line) + 1
    if page:
        found.append(page)
    return found


def shown_url(url: str, *, admin: bool) -> str:
    """A feed URL as people may see it: never its credentials. The public sees no query or
    fragment either; admins see the query's keys with their values masked."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # not a URL urllib can read: strip the same parts by hand
        scheme, _, rest = url.partition("://")
        authority, slash, path = rest.split("?", 1)[0].split("#", 1)[0].partition("/")
        return f"{scheme}://{authority.rsplit('@', 1)[-1]}{slash}{path}"
    if ":" in host:
        host = f"[{host}]"
    query = ""
    if admin and parts.query:
        keys = [pair.split("=", 1)[0] for pair in parts.query.split("&") if pair]
        query = "&".join(f"{key}={MASK}" for key in keys)
    return urlunsplit((parts.scheme, host + port, parts.path, query, ""))


def inactive_reason(reason: str, language: str) -> str:
    """Why a channel is switched off: our own code in the reader's language; Telegram's error
    words as Telegram gave them."""
    return i18n.text("reason_config_removed", language) if reason == CONFIG_REMOVED else reason
