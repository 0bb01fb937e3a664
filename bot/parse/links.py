"""Links as they are posted: the article's own address, without tracking parameters.

* Tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ... the list of
  :mod:`bot.parse.identity`) are removed; every other parameter, the path and the fragment
  stay as the site wrote them.
* Some feeds go through a redirecting proxy (feedsportal, FeedBurner) whose ``<link>`` is dead
  or only redirects: when the entry's guid (or FeedBurner's ``origLink``) is the article's own
  http(s) address, that is the link.
"""

from __future__ import annotations

from typing import TypeGuard
from urllib.parse import urlsplit, urlunsplit

from bot.parse.identity import is_tracking

_PROXY_HOSTS = ("feedsportal.com", "feedproxy.google.com", "feeds.feedburner.com")


def without_tracking(url: str) -> str:
    """The URL without tracking parameters; nothing else changes."""
    parts = urlsplit(url.strip())
    if not parts.query:
        return url.strip()
    query = "&".join(p for p in parts.query.split("&") if p and not is_tracking(p))
    return urlunsplit(parts._replace(query=query))


def is_web_url(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def is_proxy(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == proxy or host.endswith("." + proxy) for proxy in _PROXY_HOSTS)


def article_link(link: str | None, guid: str | None, original: str | None = None) -> str | None:
    """The link to post: the entry's link, or the article's own address when the link only
    goes through a feed proxy; without tracking parameters."""
    chosen = link.strip() if is_web_url(link) else None
    if chosen is None or is_proxy(chosen):
        for own in (original, guid):
            if is_web_url(own) and not is_proxy(own):
                chosen = own.strip()
                break
    return without_tracking(chosen) if chosen else None
