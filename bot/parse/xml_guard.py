"""XML attacks stop here: a feed's prolog is read before any parser sees the document.

Feeds have no use for their own entities (the HTML ones are known to the parser anyway), and
declared entities are how a small document grows into a huge one (nested entities, or one long
literal referenced thousands of times) or reads a file. So a document that declares an entity
anywhere before its first element is refused, and a DOCTYPE without entities (RSS 0.91's
Netscape one) is removed, so that no external DTD is ever named to a parser.

The prolog is read as XML defines it: comments and processing instructions are skipped whole
(a ``<a`` inside one is not the first element), quoted strings and the internal subset are
followed to their real end. An entity declaration is looked for in the whole head, comments
included, because feedparser's own DOCTYPE handling reads it with regular expressions.

Encodings: ASCII-compatible documents are read byte for byte (latin-1 keeps the positions).
A UTF-16 or UTF-32 document (BOM or first bytes) and a document that declares an encoding in
which ``<`` is not the ASCII byte (UTF-7, EBCDIC), in its XML declaration or its HTTP header,
is decoded in full and refused when it has a DOCTYPE at all.

Behind this, feedparser's XML parser is defusedxml's (see :mod:`bot.parse.feed`), which
refuses entity declarations whatever slipped past.
"""

from __future__ import annotations

import codecs
import re

_WIDE = (
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_DECLARED = re.compile(r"^\s*<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)
_ASCII = bytes([9, 10, 13, *range(32, 127)])
_ELEMENT = re.compile(r"<(?:[^\W\d]|:)")  # an XML name starts with a letter, "_" or ":"
_FEEDPARSER_HEAD = re.compile(r"<\w", re.ASCII)  # where feedparser's DOCTYPE handling stops
_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
_IN_DOCTYPE = re.compile(r"[\"'\[\]>]|<!--|<\?")


class UnsafeDocument(ValueError):
    """A document the guard will not hand to a parser."""


REFUSED_ENTITIES = "refused: the document declares entities"


def without_doctype(body: bytes, *, content_type: str | None = None) -> bytes:
    """The document without its DOCTYPE; :class:`UnsafeDocument` when it declares entities,
    or when a document whose markup is not ASCII carries a DOCTYPE at all."""
    for encoding in _foreign_encodings(body, content_type):
        text = body.decode(encoding, errors="replace")
        spans, head = _prolog(text)
        if spans:
            raise UnsafeDocument(f"refused: a DOCTYPE in a {encoding.upper()} document")
        if _ENTITY.search(text, 0, head):
            raise UnsafeDocument(REFUSED_ENTITIES)
    text = body.decode("latin-1")  # one character per byte: positions are byte offsets
    spans, head = _prolog(text)
    if _ENTITY.search(text, 0, head):
        raise UnsafeDocument(REFUSED_ENTITIES)
    for start, end in reversed(spans):
        body = body[:start] + body[end:]
    return body


def wide_encoding(body: bytes) -> str | None:
    """UTF-16 or UTF-32, by the byte order mark or the first character's bytes."""
    return next((codec for start, codec in _WIDE if body.startswith(start)), None)


def _foreign_encodings(body: bytes, content_type: str | None) -> list[str]:
    """Encodings the document may be read in whose markup bytes are not ASCII."""
    wide = wide_encoding(body)
    if wide is not None:
        return [wide]
    declared = [m[1] for m in [_DECLARED.match(body[:200].decode("latin-1"))] if m]
    declared += [m[1] for m in [_CHARSET.search(content_type or "")] if m]
    return [name for name in dict.fromkeys(declared) if not _ascii_markup(name)]


def _ascii_markup(name: str) -> bool:
    """True when the encoding reads every printable ASCII byte as that ASCII character."""
    try:
        return _ASCII.decode(name, errors="replace") == _ASCII.decode("ascii")
    except LookupError:
        return True  # not a text encoding Python knows: no parser will decode with it either


def _prolog(text: str) -> tuple[list[tuple[int, int]], int]:
    """The spans of the DOCTYPEs before the first element, and where the head ends (the later
    of the first element and feedparser's idea of it)."""
    spans: list[tuple[int, int]] = []
    position = 0
    while (start := text.find("<", position)) >= 0:
        if text.startswith("<!--", start):
            position = _after(text, "-->", start + 4)
        elif text.startswith("<?", start):
            position = _after(text, "?>", start + 2)
        elif text[start : start + 9].upper() == "<!DOCTYPE":
            position = _doctype_end(text, start)
            spans.append((start, position))
        elif _ELEMENT.match(text, start):
            break
        else:
            position = start + 1
    first = start if start >= 0 else len(text)
    theirs = _FEEDPARSER_HEAD.search(text)
    return spans, max(first, theirs.start() if theirs else len(text))


def _after(text: str, terminator: str, start: int) -> int:
    end = text.find(terminator, start)
    return len(text) if end < 0 else end + len(terminator)


def _doctype_end(text: str, start: int) -> int:
    """Just past the DOCTYPE's closing ``>``: quoted strings, comments and processing
    instructions are skipped whole, and a ``>`` inside the internal subset does not close it."""
    position, in_subset = start + len("<!DOCTYPE"), False
    while match := _IN_DOCTYPE.search(text, position):
        token, position = match[0], match.end()
        if token in ("'", '"'):
            position = _after(text, token, position)
        elif token == "<!--":
            position = _after(text, "-->", position)
        elif token == "<?":
            position = _after(text, "?>", position)
        elif token in "[]":
            in_subset = token == "["
        elif not in_subset:  # ">"
            return position
    raise UnsafeDocument("refused: a DOCTYPE that never ends")
