"""Telegram's HTML dialect: escape text, check markup, and measure or strip it.

Telegram (tdlib's ``parse_html``) accepts a small set of tags and only the entities
``&lt; &gt; &amp; &quot; &#N; &#xH;``. It counts a message's length in Unicode code points of the
text left after parsing, trimmed of spaces and newlines at both ends.

Two readings of a document live here:

* strict (:func:`validate`): what our own posts must be. Every ``<`` starts an allowed tag, every
  ``&`` starts a recognised entity ending in ``;``, tags are balanced and properly nested, and each
  tag carries only the attributes Telegram gives a meaning to.
* lenient (:func:`to_plain_text`, :func:`visible_length`): decode the way tdlib does (a bare ``&``
  stays, ``&lt`` without ``;`` is decoded), strip anything tag-shaped and keep stray ``<``. It never
  raises, so it can serve as the fallback when Telegram refuses a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from bot.format.text import has_substance

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

# fmt: off
ALLOWED_TAGS = frozenset({
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del",
    "a", "code", "pre", "blockquote", "tg-spoiler", "span", "tg-emoji",
})
# fmt: on
LINK_SCHEMES = frozenset({"http", "https"})
MAX_URL_LENGTH = 2048

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# tdlib: '#x' (lower case x) and hex digits, or '#' and decimal digits, or letters; ';' optional.
_ENTITY = re.compile(r"&(?:#x([0-9a-fA-F]*)|#([0-9]*)|([A-Za-z]*))(;?)")
_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^<>"']|"[^"]*"|'[^']*')*)>""")
_ATTR = re.compile(
    r"""\s+([A-Za-z][A-Za-z0-9-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9.-]+)))?"""
)
_SPACES = re.compile(r"\s*")


class HtmlError(ValueError):
    """The markup is not something Telegram's HTML parser would take (or we would send)."""


def escape(text: str) -> str:
    """Escape text for Telegram HTML, in element content and in attribute values alike."""
    return text.translate(_ESCAPES)


def safe_href(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) link Telegram can use, else None.

    Drops ``javascript:``, ``data:`` and relative links, URLs with spaces or control characters,
    and absurdly long ones. The result is not escaped: pass it through :func:`escape`.
    """
    if not url:
        return None
    url = url.strip()
    if len(url) > MAX_URL_LENGTH or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not host:
        return None
    if not parts.netloc.isascii():
        userinfo, at, host_port = parts.netloc.rpartition("@")
        host, colon, port = host_port.partition(":")
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        url = urlunsplit(parts._replace(netloc=f"{userinfo}{at}{ascii_host}{colon}{port}"))
    return url


@dataclass
class _Parsed:
    """Text after parsing, plus each link as (label start, label end, href)."""

    pieces: list[str] = field(default_factory=list)
    links: list[tuple[int, int, str]] = field(default_factory=list)
    length: int = 0

    def add(self, text: str) -> None:
        self.pieces.append(text)
        self.length += len(text)


def _decode_entity(match: re.Match[str], *, strict: bool) -> str | None:
    """The character an entity stands for, or None when tdlib would keep the '&' literally."""
    hex_digits, digits, name, semicolon = match.groups()
    if strict and not semicolon:
        return None
    if name is not None and hex_digits is None and digits is None:
        return _NAMED.get(name)
    number = hex_digits if hex_digits is not None else digits
    prefix = 3 if hex_digits is not None else 2
    if not number or prefix + len(number) >= 10:
        return None
    code = int(number, 16 if hex_digits is not None else 10)
    if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _decode(text: str, *, strict: bool, where: int = 0) -> str:
    """Decode entities in a run of text (or an attribute value)."""
    out: list[str] = []
    pos = 0
    while (amp := text.find("&", pos)) != -1:
        out.append(text[pos:amp])
        match = _ENTITY.match(text, amp)
        char = _decode_entity(match, strict=strict) if match else None
        if char is None:
            if strict:
                raise HtmlError(f"unescaped '&' at offset {where + amp}")
            out.append("&")
            pos = amp + 1
            continue
        out.append(char)
        pos = match.end() if match else amp + 1
    out.append(text[pos:])
    return "".join(out)


def _attributes(tag: str, raw: str, where: int) -> dict[str, str | None]:
    """Parse a start tag's attributes strictly; values are entity-decoded."""
    attrs: dict[str, str | None] = {}
    pos = 0
    while not _SPACES.fullmatch(raw, pos):
        match = _ATTR.match(raw, pos)
        if not match:
            raise HtmlError(f'malformed attributes in tag "{tag}" at offset {where}')
        name, double, single, token = match.groups()
        value = next((v for v in (double, single, token) if v is not None), None)
        attrs[name.lower()] = None if value is None else _decode(value, strict=True, where=where)
        pos = match.end()
    return attrs


def _check_attributes(tag: str, attrs: dict[str, str | None], where: int) -> None:
    allowed = {
        "a": {"href"},
        "code": {"class"},
        "span": {"class"},
        "blockquote": {"expandable"},
        "tg-emoji": {"emoji-id"},
    }.get(tag, set())
    unknown = sorted(set(attrs) - allowed)
    if unknown:
        raise HtmlError(f'attribute "{unknown[0]}" not allowed in tag "{tag}" at offset {where}')
    if tag == "a" and "href" in attrs and _link_scheme(attrs["href"]) not in {*LINK_SCHEMES, "tg"}:
        raise HtmlError(f"link with a scheme Telegram will not open at offset {where}")
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlError(f'tag "span" must have class "tg-spoiler" at offset {where}')
    if tag == "code" and not (attrs.get("class") or "language-").startswith("language-"):
        raise HtmlError(f'tag "code" takes only class="language-..." at offset {where}')
    if tag == "blockquote" and attrs.get("expandable") is not None:
        raise HtmlError(f'"expandable" takes no value at offset {where}')
    if tag == "tg-emoji" and not (attrs.get("emoji-id") or "").isdigit():
        raise HtmlError(f'tag "tg-emoji" needs a numeric emoji-id at offset {where}')


def _link_scheme(href: str | None) -> str:
    match = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*):", href or "")
    return match.group(1).lower() if match else ""


def _parse(html: str, *, strict: bool) -> _Parsed:
    parsed = _Parsed()
    open_tags: list[tuple[str, int, str | None]] = []  # (tag, label start, href)
    pos = 0
    while (lt := html.find("<", pos)) != -1:
        parsed.add(_decode(html[pos:lt], strict=strict, where=pos))
        match = _TAG.match(html, lt)
        if not match:
            if strict:
                raise HtmlError(f"unescaped '<' at offset {lt}")
            parsed.add("<")
            pos = lt + 1
            continue
        _tag(parsed, open_tags, match, strict=strict)
        pos = match.end()
    parsed.add(_decode(html[pos:], strict=strict, where=pos))
    if strict and open_tags:
        raise HtmlError(f'no end tag for "{open_tags[-1][0]}"')
    return parsed


def _tag(
    parsed: _Parsed,
    open_tags: list[tuple[str, int, str | None]],
    match: re.Match[str],
    *,
    strict: bool,
) -> None:
    closing, name, raw_attrs = match.group(1), match.group(2).lower(), match.group(3)
    where = match.start()
    if strict and name not in ALLOWED_TAGS:
        raise HtmlError(f'unsupported tag "{name}" at offset {where}')
    if not closing:
        if strict:
            attrs = _attributes(name, raw_attrs, where)
            _check_attributes(name, attrs, where)
            href = attrs.get("href")
        else:
            href = _lenient_href(raw_attrs) if name == "a" else None
        open_tags.append((name, parsed.length, href))
        return
    if strict and raw_attrs.strip():
        raise HtmlError(f"attributes in end tag at offset {where}")
    if not open_tags or open_tags[-1][0] != name:
        if strict:
            expected = f"</{open_tags[-1][0]}>" if open_tags else "no end tag"
            raise HtmlError(f"unmatched </{name}> at offset {where}, expected {expected}")
        return
    tag, start, href = open_tags.pop()
    if tag == "a" and href:
        parsed.links.append((start, parsed.length, href))


def _lenient_href(raw_attrs: str) -> str | None:
    match = re.search(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", raw_attrs, re.I)
    if not match:
        return None
    value = next(v for v in match.groups() if v is not None)
    return _decode(value, strict=False).strip() or None


def _telegram_trim(text: str) -> str:
    """What Telegram keeps of a parsed text: no carriage returns, no edge spaces or newlines."""
    return text.replace("\r", "").strip(" \n")


def validate(html: str, *, max_length: int | None = None) -> None:
    """Raise :class:`HtmlError` with the reason when ``html`` is not a post we may send.

    Besides the markup rules, the visible text must show something (not only spaces, joiners
    or marks) and, when ``max_length`` is given, must fit in it.
    """
    if any(0xD800 <= ord(ch) <= 0xDFFF or ch == "\0" for ch in html):
        raise HtmlError("text holds a NUL or a lone surrogate, which is not valid UTF-8 text")
    text = _telegram_trim("".join(_parse(html, strict=True).pieces))
    if not has_substance(text):
        raise HtmlError("message text is empty")
    if max_length is not None and len(text) > max_length:
        raise HtmlError(f"message is too long: {len(text)} > {max_length} characters")


def is_valid_telegram_html(html: str, *, max_length: int | None = None) -> bool:
    """True when :func:`validate` finds nothing wrong."""
    try:
        validate(html, max_length=max_length)
    except HtmlError:
        return False
    return True


def visible_length(html: str) -> int:
    """The length Telegram counts: code points of the parsed text, trimmed at both ends."""
    return len(_telegram_trim("".join(_parse(html, strict=False).pieces)))


def to_plain_text(html: str) -> str:
    """The text of ``html`` without markup: the fallback when Telegram cannot parse a message.

    Tags are stripped and entities decoded. A link keeps its target after its label, as
    ``label (https://...)``, unless the label already is the URL, so a plain-text post still
    points to its source.
    """
    parsed = _parse(html, strict=False)
    text = "".join(parsed.pieces)
    for start, end, href in sorted(parsed.links, key=lambda link: link[1], reverse=True):
        if safe_href(href) and text[start:end].strip() != href:
            text = f"{text[:end]} ({href}){text[end:]}"
    return _telegram_trim(text)
