"""Where a site keeps its feed or its sitemap: the pure half of feed discovery.

:mod:`bot.fetch.discovery` fetches; this module only reads what was fetched and says where to
look next:

* :func:`alternate_feeds`: the ``<link rel="alternate">`` feeds a page announces (RSS first,
  then Atom and RDF; comment feeds last), resolved against the page (and its ``<base>``);
* :func:`usual_feed_places`: where sites without autodiscovery keep their feed (``/feed/``,
  ``/rss``, ``/feed.xml``, WordPress ``?feed=rss2``, ...);
* :func:`sitemap_places`: the ``Sitemap:`` lines of robots.txt, then the usual news sitemaps
  and ``/sitemap.xml``;
* :func:`preferred_sitemaps`: a sitemap index's sitemaps, news and newest first.

Only http(s) addresses ever come out of here.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

from bot.parse.dates import read_stamp
from bot.parse.links import is_web_url

FEED_TYPES = {
    "application/rss+xml": 0,
    "application/atom+xml": 1,
    "application/rdf+xml": 2,
    "application/xml": 3,
    "text/xml": 3,
}
FEED_PATHS = ("/feed/", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/?feed=rss2")
SITEMAP_PATHS = (
    "/news-sitemap.xml",
    "/sitemap-news.xml",
    "/sitemap_news.xml",
    "/sitemap.xml",
    "/sitemap_index.xml",
    "/wp-sitemap.xml",
)
_HEAD_BYTES = 512 * 1024  # the <link> elements are in the head


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.found: list[tuple[int, str, str]] = []  # (rank, href, title)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"].strip()
        if tag != "link" or "alternate" not in values.get("rel", "").lower().split():
            return
        kind = values.get("type", "").split(";", 1)[0].strip().lower()
        href = values.get("href", "").strip()
        if kind in FEED_TYPES and href:
            self.found.append((FEED_TYPES[kind], href, values.get("title", "")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _is_comments(href: str, title: str) -> bool:
    words = f"{href} {title}".lower()
    return "comment" in words or "komentar" in words


def alternate_feeds(page: bytes, url: str) -> list[str]:
    """The feeds a page announces, best first, as absolute http(s) addresses."""
    reader = _Links()
    reader.feed(page[:_HEAD_BYTES].decode("utf-8", errors="replace"))
    reader.close()
    base = urljoin(url, reader.base) if reader.base else url
    ranked = sorted(reader.found, key=lambda found: (_is_comments(found[1], found[2]), found[0]))
    return _web_only(urljoin(base, href) for _, href, _ in ranked)


def site_root(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def usual_feed_places(url: str) -> list[str]:
    """Where a site without autodiscovery usually keeps its feed: under the page's own path
    (``/berita/feed/``) and at the site's root."""
    places = []
    path = urlsplit(url).path
    if path.strip("/"):
        folder = url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
        places += [folder + "/feed/", folder + "/rss"]
    places += [urljoin(site_root(url), p.lstrip("/")) for p in FEED_PATHS]
    return _web_only(places)


def robots_sitemaps(robots: bytes, url: str) -> list[str]:
    """The ``Sitemap:`` addresses a robots.txt names."""
    found = []
    for line in robots[:_HEAD_BYTES].decode("utf-8", errors="replace").splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and value.strip():
            found.append(urljoin(url, value.strip()))
    return _web_only(found)


def sitemap_places(url: str, robots: bytes | None = None) -> list[str]:
    """Sitemaps to try: robots.txt's (news ones first), then the usual places."""
    named = robots_sitemaps(robots, url) if robots else []
    named.sort(key=lambda address: "news" not in address.lower())
    usual = [urljoin(site_root(url), p.lstrip("/")) for p in SITEMAP_PATHS]
    return _web_only([*named, *usual])


def preferred_sitemaps(children: Iterable[tuple[str, str]]) -> list[str]:
    """A sitemap index's sitemaps in the order to try them: news sitemaps, then post
    sitemaps, then the most recently changed."""

    def rank(child: tuple[str, str]) -> tuple[bool, bool, float]:
        address, lastmod = child
        lowered = address.lower()
        stamp = read_stamp(lastmod)
        changed = stamp.wall.timestamp() if stamp else 0.0
        return ("news" not in lowered, "post" not in lowered, -changed)

    return _web_only(address for address, _ in sorted(children, key=rank))


def _web_only(addresses: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(a for a in addresses if is_web_url(a)))
