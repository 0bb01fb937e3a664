"""XML attacks stop here: a feed's DOCTYPE is removed before feedparser sees the document.

feedparser already drops DOCTYPEs and keeps only "safe" entity declarations (literal text),
and expat neither loads external entities nor DTDs. That still lets a small document declare
one long literal entity and reference it thousands of times (the "quadratic blowup"): a 300 KB
feed then grows to 100 MB of text before expat's amplification limit stops it, and
feedparser's fallback parser keeps it all. Feeds have no use for their own entities (the
HTML ones are known to the parser anyway), so the whole DOCTYPE goes, before any parser reads
the document: no entity is declared, so none can expand, load a file or reach the network.

Documents in UTF-16 or UTF-32 (the patterns below only see ASCII-compatible bytes) are refused
when they carry a DOCTYPE at all.
"""

from __future__ import annotations

import codecs
import re

_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_:]")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
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


class UnsafeDocument(ValueError):
    """A document the guard will not hand to a parser."""


def _wide_encoding(body: bytes) -> str | None:
    return next((codec for start, codec in _WIDE if body.startswith(start)), None)


def without_doctype(body: bytes) -> bytes:
    """The document with its DOCTYPE (internal subset included) removed.

    Everything from ``<!DOCTYPE`` to the first element goes: that also removes anything an
    attacker hides in the subset, even when an entity value contains something that looks
    like an element."""
    encoding = _wide_encoding(body)
    if encoding is not None:
        head = body[:4096].decode(encoding, errors="ignore")
        if "<!doctype" in head.lower():
            raise UnsafeDocument(f"refused: a DOCTYPE in a {encoding.upper()} document")
        return body
    first = _FIRST_ELEMENT.search(body)
    head_end = first.start() if first else len(body)
    doctype = _DOCTYPE.search(body, 0, head_end)
    if doctype is None:
        return body
    return body[: doctype.start()] + body[head_end:]
