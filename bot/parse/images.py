"""Pick one image for an entry.

Order: media:content that is an image, media:thumbnail, an enclosure with an image type, then
the first <img> in the content (or, failing that, the summary) that is not a tracking pixel.
Only absolute http(s) URLs count; an <img> src is first resolved against the document's URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp")


def _web_url(value: object) -> str | None:
    if isinstance(value, str):
        url = value.strip()
        if url.lower().startswith(("http://", "https://")):
            return url
    return None


def _looks_like_image(media: Mapping[str, Any]) -> bool:
    kind = str(media.get("type") or "")
    medium = str(media.get("medium") or "")
    if kind or medium:
        return kind.startswith("image/") or medium == "image"
    path = str(media.get("url") or "").lower().split("?", 1)[0]
    return path.endswith(_IMAGE_EXTENSIONS)


class _FirstImage(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.src: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        src = values.get("src")
        if tag != "img" or self.src is not None or not src or src.startswith("data:"):
            return
        if _is_pixel(values):
            return
        self.src = _web_url(urljoin(self.base, src.strip()))


def _is_pixel(attrs: dict[str, str | None]) -> bool:
    """A tracking pixel (width or height of 0 to 2): an ad counter, not the article's image."""
    sizes = [str(attrs.get(name) or "").strip().removesuffix("px") for name in ("width", "height")]
    return any(size.isdigit() and int(size) <= 2 for size in sizes)


def first_img_src(html: str, base: str = "") -> str | None:
    """The src of the first <img> in an HTML fragment that is (or, resolved against ``base``,
    becomes) an absolute http(s) URL."""
    if "<img" not in html.lower():
        return None
    finder = _FirstImage(base)
    finder.feed(html)
    finder.close()
    return finder.src


def _candidates(entry: Mapping[str, Any], bodies: Iterable[str], base: str) -> Iterable[str | None]:
    for media in entry.get("media_content") or ():
        if _looks_like_image(media):
            yield _web_url(media.get("url"))
    for thumbnail in entry.get("media_thumbnail") or ():
        yield _web_url(thumbnail.get("url"))
    for link in entry.get("links") or ():
        if link.get("rel") == "enclosure" and str(link.get("type") or "").startswith("image/"):
            yield _web_url(link.get("href"))
    for body in bodies:
        yield first_img_src(body, base)


def pick_image(entry: Mapping[str, Any], bodies: Iterable[str], base: str = "") -> str | None:
    """The entry's image URL, or None. ``bodies`` are its HTML content and summary, in order;
    ``base`` is the document's URL."""
    return next((url for url in _candidates(entry, bodies, base) if url), None)
