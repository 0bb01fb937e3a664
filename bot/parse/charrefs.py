"""Character references no Python string can carry are replaced before a feed is parsed.

``&#xD800;`` (a lone surrogate) makes feedparser fail while encoding the text, and a code
point past U+10FFFF or a number longer than any code point makes it fail in ``chr``: either
way the whole document would be lost for one field. Such a reference becomes U+FFFD, the
replacement character, so only that field shows it.
"""

from __future__ import annotations

import re

from bot.parse.xml_guard import wide_encoding

REPLACEMENT = "&#xFFFD;"
_REFERENCE = r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));"
_BYTES = re.compile(_REFERENCE.encode())
_TEXT = re.compile(_REFERENCE)
_MAX_DIGITS = 8  # U+10FFFF has 7 decimal digits; leading zeros are rare and still replaced


def _usable(hex_digits: str | bytes | None, decimal: str | bytes | None) -> bool:
    raw = hex_digits if hex_digits is not None else decimal
    assert raw is not None
    digits = (raw.decode("ascii") if isinstance(raw, bytes) else raw).lstrip("0")
    if len(digits) > _MAX_DIGITS:
        return False
    code = int(digits or "0", 16 if hex_digits is not None else 10)
    return code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF


def without_bad_references(body: bytes) -> bytes:
    """The document with every unusable character reference replaced by ``&#xFFFD;``."""
    encoding = wide_encoding(body)
    if encoding is None:
        return _BYTES.sub(lambda m: m[0] if _usable(m[1], m[2]) else REPLACEMENT.encode(), body)
    text = body.decode(encoding, errors="replace")
    fixed = _TEXT.sub(lambda m: m[0] if _usable(m[1], m[2]) else REPLACEMENT, text)
    return body if fixed == text else fixed.encode(encoding)
