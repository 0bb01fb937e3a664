"""Sitemaps read as feeds, for sites that publish no feed.

A Google News sitemap (``<urlset>`` with ``<news:news>``: title and publication date) is a
feed in all but name; an ordinary sitemap gives addresses and ``<lastmod>`` dates, and its
titles come from the address's last segment. Each ``<url>`` becomes an :class:`Item` with a
title, a link (tracking parameters removed), a date (read like feed dates, see
:mod:`bot.parse.dates`) and an image when ``<image:image>`` names one. Addresses that are
not articles (no title and no slug of two words or more: the home page, sections) are left
out; the newest :data:`MAX_ITEMS` are kept. The items have no text of their own, so the
result asks for the pages to be read (``needs_pages``).

A sitemap index (``<sitemapindex>``) is not a source: :func:`sitemap_children` lists its
sitemaps, and discovery (:mod:`bot.fetch.discovery`) chooses one.

lxml reads the document with entities unresolved, no DTD and no network, after the DOCTYPE
was removed (:mod:`bot.parse.xml_guard`).
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import unquote, urlsplit

from lxml import etree

from bot.models import Item, ParsedFeed
from bot.parse.dates import Stamp, read_stamp, settle, site_zone
from bot.parse.identity import item_uid
from bot.parse.links import is_web_url, without_tracking
from bot.parse.repair import repair_text

MAX_ITEMS = 100
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(urlset|sitemapindex)[\s>]")
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_SLUG_ID = re.compile(r"^\d+[-_]|[-_]\d+$")
_EXTENSION = re.compile(r"\.(s?html?|php|aspx?)$", re.IGNORECASE)


def _root_name(body: bytes) -> str | None:
    first = _FIRST_ELEMENT.search(body, 0, 65536)
    if first is None:
        return None
    match = _ROOT.match(body, first.start())
    return match.group(1).decode() if match else None


def is_sitemap(body: bytes) -> bool:
    """True when the document's root element is a sitemap's ``urlset`` or ``sitemapindex``."""
    return _root_name(body) is not None


def _tree(body: bytes) -> etree._Element | None:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )
    try:
        return etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: etree._Element, *path: str) -> etree._Element | None:
    """The first descendant along ``path`` of local names (namespaces ignored)."""
    current: etree._Element | None = element
    for name in path:
        if current is None:
            return None
        current = next((c for c in current if _local(c.tag) == name), None)
    return current


def _text(element: etree._Element, *path: str) -> str:
    found = _child(element, *path)
    return " ".join((found.text or "").split()) if found is not None else ""


def sitemap_children(body: bytes) -> list[tuple[str, str]]:
    """A sitemap index's sitemaps: (address, lastmod) pairs, in the index's order."""
    root = _tree(body)
    if root is None or _local(root.tag) != "sitemapindex":
        return []
    children = []
    for entry in root:
        if _local(entry.tag) == "sitemap":
            loc = _text(entry, "loc")
            if is_web_url(loc):
                children.append((loc, _text(entry, "lastmod")))
    return children


def parse_sitemap(body: bytes, *, url: str, now: datetime | None = None) -> ParsedFeed:
    """The sitemap ``body`` as a feed (see the module's rules)."""
    root = _tree(body)
    if root is None:
        return ParsedFeed(title=None, items=(), error="broken sitemap: not well-formed XML")
    if _local(root.tag) == "sitemapindex":
        count = len(sitemap_children(body))
        return ParsedFeed(
            title=None, items=(), error=f"a sitemap index ({count} sitemaps), not a sitemap"
        )
    entries = [e for e in root if _local(e.tag) == "url" and is_web_url(_text(e, "loc"))]
    stamps = [_stamp(entry) for entry in entries]
    zone = site_zone(stamps)
    items: dict[str, Item] = {}
    for entry, stamp in zip(entries, stamps, strict=True):
        item = _item(entry, settle(stamp, zone, now) if stamp else None)
        if item is not None:
            items.setdefault(item.uid, item)
    newest = sorted(
        items.values(),
        key=lambda i: -i.published.timestamp() if i.published else float("inf"),
    )[:MAX_ITEMS]
    if not newest:
        return ParsedFeed(title=None, items=(), error="an empty sitemap: no article addresses")
    return ParsedFeed(title=None, items=tuple(newest), site_zone=zone.key, needs_pages=True)


def _stamp(entry: etree._Element) -> Stamp | None:
    return read_stamp(_text(entry, "news", "publication_date")) or read_stamp(
        _text(entry, "lastmod")
    )


def _item(entry: etree._Element, published: datetime | None) -> Item | None:
    """The entry as an item; None for an address that is not an article (the home page, a
    section) when the sitemap gives no title."""
    link = without_tracking(_text(entry, "loc"))
    title = repair_text(_text(entry, "news", "title")) or title_from_address(link)
    if not title:
        return None
    image = _text(entry, "image", "loc")
    return Item(
        uid=item_uid(None, link, title, ""),
        title=title,
        link=link,
        published=published,
        summary="",
        content="",
        image=image if is_web_url(image) else None,
    )


def title_from_address(url: str) -> str:
    """A readable title from an article address's last segment of two words or more:
    ``/berita/246-kpu-tetapkan-dpt.html`` gives ``Kpu tetapkan dpt``; "" when there is none."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    for segment in reversed(segments):
        slug = _EXTENSION.sub("", unquote(segment))
        slug = _SLUG_ID.sub("", slug)
        words = re.sub(r"[-_+]+", " ", slug).split()
        if len(words) >= 2:
            sentence = " ".join(words)
            return sentence[0].upper() + sentence[1:]
    return ""
