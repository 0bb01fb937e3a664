"""``file://`` feeds: the demo and tests read feed files from disk.

A local file answers like a small HTTP server: status 200 with an ETag (content hash) and a
Last-Modified (the file's mtime), and status 304 when the caller's validators still match. The
same size cap as for HTTP applies. Only URLs given in the configuration reach this module: an
HTTP redirect to ``file://`` is refused by the fetcher.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from dataclasses import replace
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from bot.models import FetchResult

_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
}


def file_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise ValueError(f"file URL with a remote host: {parts.netloc}")
    return Path(url2pathname(parts.path))


def _content_type(path: Path) -> str:
    return _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "text/xml"


def _unchanged_since(last_modified: str | None, mtime: int) -> bool:
    if not last_modified:
        return False
    try:
        return int(parsedate_to_datetime(last_modified).timestamp()) >= mtime
    except (TypeError, ValueError, IndexError):
        return False


def read_file(
    url: str, max_bytes: int, etag: str | None = None, last_modified: str | None = None
) -> FetchResult:
    """Read a ``file://`` URL (blocking: call it in a worker thread)."""
    try:
        path = file_path(url)
        with path.open("rb") as handle:
            mtime = int(os.fstat(handle.fileno()).st_mtime)
            body = handle.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return FetchResult(url=url, error=f"cannot read {url}: {reason}")
    if len(body) > max_bytes:
        return FetchResult(url=url, error=f"body larger than {max_bytes} bytes")
    new_etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    new_last_modified = formatdate(mtime, usegmt=True)
    result = FetchResult(url, etag=new_etag, last_modified=new_last_modified, final_url=url)
    if (etag == new_etag) or (etag is None and _unchanged_since(last_modified, mtime)):
        return replace(result, status=304)
    return replace(result, status=200, body=body, content_type=_content_type(path))
