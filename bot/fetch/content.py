"""Content-type sanity: refuse, before reading the body, what cannot be a feed or a page.

Feeds are often served with odd types (``text/html``, ``text/plain``,
``application/octet-stream``), and feedparser reads them anyway, so a feed is refused only for
types that are certainly something else: images, audio, video, fonts, archives, PDFs. An
article page must be HTML (or carry no type at all).
"""

from __future__ import annotations

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"

_NOT_A_DOCUMENT = ("image/", "audio/", "video/", "font/", "model/", "multipart/")
_BINARY_APPLICATIONS = frozenset(
    {
        "application/pdf", "application/zip", "application/gzip", "application/x-gzip",
        "application/x-tar", "application/x-7z-compressed", "application/x-rar-compressed",
        "application/vnd.rar", "application/msword", "application/vnd.ms-excel",
        "application/x-msdownload", "application/java-archive", "application/wasm",
    }
)  # fmt: skip
_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})


def media_type(content_type: str | None) -> str:
    """The bare media type, lower-case, without parameters ("" when absent)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def unusable_type(content_type: str | None, *, page: bool = False) -> str | None:
    """Why a response of this Content-Type cannot be used, or None when it may be."""
    kind = media_type(content_type)
    if not kind:
        return None
    if page:
        usable = kind in _PAGE_TYPES
    else:
        usable = not (kind.startswith(_NOT_A_DOCUMENT) or kind in _BINARY_APPLICATIONS)
    if usable:
        return None
    wanted = "an HTML page" if page else "a feed"
    return f"unexpected content type {kind}: not {wanted}"
