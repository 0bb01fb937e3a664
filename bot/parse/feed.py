"""Feed documents (RSS 2.0, Atom, RDF/RSS 1.0, any encoding) to :class:`ParsedFeed`.

The only module that imports feedparser. It is pure and synchronous (production runs it in a
worker process, see :mod:`bot.pipeline.workers`) and never touches the network or the file
system: feedparser gets the bytes.

Rules, in order:

* The DOCTYPE is removed first (:mod:`bot.parse.xml_guard`): no entity expansion, no external
  entity or DTD is ever read.
* A document with entries is used even when the XML is broken (feedparser's "bozo"): the
  entries read before the break are kept.
* A document with no usable entries and no recognised feed root is ``error="not a feed: ..."``;
  a recognised feed broken before its first entry is ``error="broken feed: ..."``; a valid feed
  with no entries is simply empty.
* Entries with neither a title, a text nor a link are skipped.
* Identity (see :mod:`bot.parse.identity`): guid, else canonical link, else title + text. When
  one document gives the same guid to entries with different links, the guid is not trusted
  for those entries: their uid comes from guid + canonical link. Exact repeats (same uid) are
  kept once, the first time they appear.
"""

from __future__ import annotations

import html
import io
import re
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import feedparser
from feedparser.exceptions import CharacterEncodingOverride, NonXMLContentType

from bot.models import Item, ParsedFeed
from bot.parse.dates import JAKARTA, Stamp, entry_stamp, settle, site_zone
from bot.parse.html_text import html_to_text, plain_to_text
from bot.parse.identity import canonical_url, item_uid
from bot.parse.images import pick_image
from bot.parse.links import article_link, is_proxy, is_web_url, without_tracking
from bot.parse.repair import repair_text
from bot.parse.sitemap import is_sitemap, parse_sitemap
from bot.parse.xml_guard import UnsafeDocument, without_doctype

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HARMLESS = (CharacterEncodingOverride, NonXMLContentType)  # the entries still parse
_HTML_PAGE = re.compile(rb"<(!doctype\s+html|html[\s>])", re.IGNORECASE)
_EMAIL_AND_NAME = re.compile(r"^\S+@\S+\s+\((?P<name>[^)]+)\)$")
_BARE_EMAIL = re.compile(r"^[^\s@]+@[^\s@]+$")
_TAG = re.compile(r"<[a-zA-Z/!]")


def _get(mapping: Mapping[str, Any], key: str) -> Any:
    """Read feedparser's dicts without their deprecated key aliases (which warn)."""
    return dict.get(mapping, key) if isinstance(mapping, dict) else mapping.get(key)


def parse_feed(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    text_since: datetime | None = None,
    now: datetime | None = None,
) -> ParsedFeed:
    """Normalise one feed document (or a sitemap, see :mod:`bot.parse.sitemap`). ``url``
    resolves relative links; ``content_type`` (the HTTP header, charset included) helps decode
    documents that do not declare their encoding. ``now`` (the fetch time) lets dates that
    cannot be true be corrected (see :mod:`bot.parse.dates`); items come newest first.

    ``text_since``: entries published before it (too old ever to be posted) come without their
    summary, content and image, unless their uid needs the text (no guid and no link): turning
    their HTML into text is most of the work after feedparser's own."""
    if not body.strip():
        return ParsedFeed(title=None, items=(), error="not a feed: the document is empty")
    try:
        body = without_doctype(body)
    except UnsafeDocument as exc:
        return ParsedFeed(title=None, items=(), error=str(exc))
    if is_sitemap(body):
        return parse_sitemap(body, url=url, now=now)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(
        # no sanitising: the HTML only ever becomes plain text, and html_to_text drops
        # scripts, styles and frames with their content (the sanitiser keeps their text)
        io.BytesIO(body),
        response_headers=headers,
        sanitize_html=False,
        # links are resolved anyway; resolving inside the HTML bodies would parse each twice
        # (about a third of the cost): only an image's src needs it, and gets it (images.py)
        resolve_relative_uris=False,
    )
    title = _detail_text(_get(parsed.feed, "title_detail"), _get(parsed.feed, "title")) or None
    stamps = [stamp for entry in parsed.entries if (stamp := _stamp(entry))]
    zone = site_zone(stamps)
    items = _items(parsed.entries, url, text_since, _Dates(zone, now))
    error = None if items else _document_error(parsed, body)
    if error:
        return ParsedFeed(title=title, items=(), error=error)
    return ParsedFeed(
        title=title,
        items=items,
        ttl_minutes=_ttl(parsed.feed),
        site_zone=zone.key if stamps else None,  # the zone the dates were read in
    )


def _document_error(parsed: Any, body: bytes) -> str | None:
    """Why a document that gave no items is not usable, or None when it is a valid empty feed."""
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, _HARMLESS):
        problem = None
    if not parsed.version:
        if _HTML_PAGE.search(body[:2048]):
            return "not a feed: the document is an HTML page"
        if problem is not None:
            return f"not a feed: {_describe(problem)}"
        return "not a feed: no RSS, Atom or RDF root element"
    if problem is not None:
        return f"broken feed: {_describe(problem)} (no entries could be read)"
    return None


def _describe(problem: BaseException) -> str:
    line = getattr(problem, "getLineNumber", None)
    message = problem.getMessage() if hasattr(problem, "getMessage") else str(problem)
    return f"{message} at line {line()}" if callable(line) else message


def _ttl(feed: Mapping[str, Any]) -> int | None:
    value = str(_get(feed, "ttl") or "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


class _Dates:
    """Reads entries' dates for one document: its site's zone and the fetch time."""

    def __init__(self, zone: Any = JAKARTA, now: datetime | None = None) -> None:
        self.zone, self.now = zone, now

    def published(self, entry: Mapping[str, Any]) -> datetime | None:
        stamp = _stamp(entry)
        return settle(stamp, self.zone, self.now) if stamp else None


def _stamp(entry: Mapping[str, Any]) -> Stamp | None:
    for key in ("published", "updated", "created"):
        raw, parsed = _get(entry, key), _get(entry, f"{key}_parsed")
        if raw or parsed:
            stamp = entry_stamp(str(raw or ""), parsed)
            if stamp is not None:
                return stamp
    return None


def _newest_first(items: list[Item]) -> tuple[Item, ...]:
    """Feeds list items in any order; undated ones keep their place after the dated."""
    return tuple(
        sorted(items, key=lambda i: -i.published.timestamp() if i.published else float("inf"))
    )


def _items(
    entries: list[Any], base: str, text_since: datetime | None, dates: _Dates | None = None
) -> tuple[Item, ...]:
    dates = dates or _Dates()
    links_by_guid: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if guid := _guid(entry):
            links_by_guid[guid].add(canonical_url(_link(entry) or ""))
    untrusted = {guid for guid, links in links_by_guid.items() if len(links) > 1}
    items: list[Item] = []
    seen: set[str] = set()
    for entry in entries:
        item = _item(entry, untrusted, base, text_since, dates)
        if item is not None and item.uid not in seen:
            seen.add(item.uid)
            items.append(item)
    return _newest_first(items)


def _item(
    entry: Mapping[str, Any],
    untrusted_guids: set[str],
    base: str,
    text_since: datetime | None,
    dates: _Dates,
) -> Item | None:
    guid = _guid(entry)
    link = _link(entry)
    title = " ".join(_detail_text(_get(entry, "title_detail"), _get(entry, "title")).split())
    published = dates.published(entry)
    if text_since and published and published < text_since and (guid or link):
        identity = f"{guid}\n{canonical_url(link or '')}" if guid in untrusted_guids else guid
        uid = item_uid(identity, link, title, "")
        return Item(uid, title, link, published, "", "", guid=guid, author=_author(entry))
    content_html, content = _content(entry)
    summary_html = str(_get(entry, "summary") or "")
    summary = _detail_text(_get(entry, "summary_detail"), summary_html)
    text = content or summary
    if not (title or text or link):
        return None
    identity = f"{guid}\n{canonical_url(link or '')}" if guid in untrusted_guids else guid
    return Item(
        uid=item_uid(identity, link, title, text),
        title=title,
        link=link,
        published=published,
        summary=summary,
        content=content,
        image=_own_image(pick_image(entry, (content_html, summary_html), base)),
        guid=guid,
        author=_author(entry),
    )


def _own_image(url: str | None) -> str | None:
    """A feed proxy's image address (feedsportal) is dead with the proxy: no image."""
    return None if url is None or is_proxy(url) else url


def _guid(entry: Mapping[str, Any]) -> str | None:
    """The entry's id; one that is a web address loses its tracking parameters."""
    guid = str(_get(entry, "id") or "").strip() or None
    return without_tracking(guid) if guid and is_web_url(guid) else guid


def _link(entry: Mapping[str, Any]) -> str | None:
    link = str(_get(entry, "link") or "").strip()
    if not is_web_url(link):
        return None
    return article_link(link, _guid(entry), _get(entry, "feedburner_origlink"))


def _content(entry: Mapping[str, Any]) -> tuple[str, str]:
    """The longest content element, as (html, plain text)."""
    best = ("", "")
    for detail in _get(entry, "content") or ():
        text = _detail_text(detail, detail.get("value"))
        if len(text) > len(best[1]):
            best = (str(detail.get("value") or ""), text)
    return best


def _detail_text(detail: Mapping[str, Any] | None, value: object) -> str:
    raw = str(value or "")
    kind = str((detail or {}).get("type") or "text/html")
    if kind in _HTML_TYPES or _TAG.search(raw):  # "plain" titles often carry markup anyway
        return repair_text(html_to_text(raw))
    # plain text: feeds often escape twice ("&amp;amp;"), so decode what is left once more
    return plain_to_text(repair_text(html.unescape(raw)))


def _author(entry: Mapping[str, Any]) -> str | None:
    """The author's name; RSS's "email (Name)" gives the name, a bare email gives nothing.
    The raw field comes first: feedparser's own split mangles some addresses."""
    detail = _get(entry, "author_detail") or {}
    name = " ".join(str(_get(entry, "author") or detail.get("name") or "").split())
    if match := _EMAIL_AND_NAME.match(name):
        name = match["name"].strip()
    elif _BARE_EMAIL.match(name):
        return None
    return _detail_text(None, name) or None
