"""A real HTTP feed server on 127.0.0.1 for tests: in-memory documents, validators, faults.

    server = FeedServer().start()            # or: with FeedServer() as server:
    server.set("/news.rss", rss_bytes)       # served with a strong ETag and a Last-Modified
    server.fault("/news.rss", status=500)    # misbehave (see Fault), optionally count=N times
    result = await fetcher.fetch(server.url + "/news.rss")
    server.requests("/news.rss")             # what was asked, with headers and the status sent
    server.stop()

Documents come from :meth:`FeedServer.set` or, as a fallback, from files under ``directory``.
Conditional requests: a matching If-None-Match gives 304; without If-None-Match, an
If-Modified-Since at or after the document's Last-Modified gives 304. Every request is logged
just before its answer goes out (so a client holding the answer finds it logged), and the
number of requests received but not yet answered is tracked, overall and per Host header, so
tests can check concurrency limits. Standard library only; self-contained.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import io
import mimetypes
import socket
import threading
import time
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".xml": "application/xml",
    ".html": "text/html",
}
_GATE_LIMIT = 30.0  # seconds a gated answer waits at most, so a forgotten gate cannot hang
_BOMBS: dict[int, bytes] = {}

SAMPLE_RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Berita</title><link>https://berita.example/</link>
<item><title>KPU tetapkan jadwal</title><link>https://berita.example/1</link>
<guid>https://berita.example/1</guid><description>Isi berita.</description></item>
</channel></rss>
"""


@dataclass
class Fault:
    """How to misbehave for one path. ``count`` limits it to the next N requests."""

    status: int | None = None  # answer with this status (and a small HTML body)
    delay: float = 0.0  # seconds before answering
    gate: threading.Event | None = None  # hold the answer until the test sets the event
    redirect: str | None = None  # Location (absolute, or a path on this server)
    redirect_status: int = 301
    huge_bytes: int = 0  # pad the document with an XML comment up to this size, streamed
    gzip_bomb: int = 0  # a small gzip body (Content-Encoding: gzip) inflating to this size
    gzip: bool = False  # send the document gzip-compressed
    chunk_delay: float = 0.0  # send the body in 1 KiB pieces with this pause between them
    truncate: int | None = None  # send only this many bytes (complete response, broken XML)
    drop: bool = False  # close the connection without answering
    changing_etag: bool = False  # a new ETag on every answer (so If-None-Match never matches)
    content_type: str | None = None  # override the Content-Type
    headers: dict[str, str] = field(default_factory=dict)  # extra response headers
    count: int | None = None


@dataclass(frozen=True)
class RequestRecord:
    path: str
    method: str
    headers: dict[str, str]  # lower-case names
    status: int  # 0 when the connection was dropped
    host: str  # the Host header
    at: float = field(default_factory=time.monotonic)  # when the answer went out


@dataclass
class _Document:
    body: bytes
    content_type: str
    last_modified: float


def gzip_bomb(size: int) -> bytes:
    """Gzip bytes of an RSS document padded with spaces that inflates to about ``size``."""
    if size not in _BOMBS:
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as packed:
            packed.write(b'<?xml version="1.0"?><rss version="2.0"><channel><!-- ')
            block = b" " * (1 << 20)
            for _ in range(size >> 20):
                packed.write(block)
            packed.write(b" " * (size & ((1 << 20) - 1)) + b" --></channel></rss>")
        _BOMBS[size] = buffer.getvalue()
    return _BOMBS[size]


class FeedServer:
    """A threaded HTTP/1.1 server bound to 127.0.0.1 on a free port."""

    def __init__(self, directory: str | Path | None = None, host: str = "127.0.0.1") -> None:
        self.directory = Path(directory).resolve() if directory else None
        self.host = host
        self._lock = threading.Condition()
        self._documents: dict[str, _Document] = {}
        self._faults: dict[str, Fault] = {}
        self._log: list[RequestRecord] = []
        self._in_flight: dict[str, int] = {}  # by Host header, "" for all
        self._peak: dict[str, int] = {}
        self._etag_counter = 0
        self._httpd: _Server | None = None

    # lifecycle
    def start(self) -> FeedServer:
        self._httpd = _Server((self.host, 0), _Handler)
        self._httpd.app = self
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        with self._lock:
            for fault in self._faults.values():
                if fault.gate is not None:
                    fault.gate.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "start() the server first"
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url_for(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"

    # content and faults
    def set(
        self,
        path: str,
        body: bytes | str,
        *,
        content_type: str | None = None,
        last_modified: float | None = None,
    ) -> None:
        """Serve ``body`` at ``path``; setting it again publishes a new version."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        kind = content_type or _TYPES.get(Path(path).suffix.lower(), "application/xml")
        stamp = time.time() if last_modified is None else last_modified
        with self._lock:
            self._documents[path] = _Document(data, kind, stamp)

    def fault(self, path: str, **kwargs: Any) -> None:
        """Misbehave on ``path`` (or "*" for every path); keywords are :class:`Fault` fields."""
        with self._lock:
            self._faults[path] = Fault(**kwargs)

    def clear_faults(self, path: str | None = None) -> None:
        with self._lock:
            if path is None:
                self._faults.clear()
            else:
                self._faults.pop(path, None)

    # observations
    def requests(self, path: str | None = None) -> list[RequestRecord]:
        with self._lock:
            return [record for record in self._log if path is None or record.path == path]

    def peak_in_flight(self, host: str | None = None) -> int:
        """The most requests answered at once (for one Host header, or overall)."""
        with self._lock:
            return self._peak.get(host or "", 0)

    def wait_in_flight(self, count: int, timeout: float = 5.0, host: str | None = None) -> bool:
        """Block until ``count`` requests are being answered at once; False on timeout."""
        with self._lock:
            return self._lock.wait_for(
                lambda: self._in_flight.get(host or "", 0) >= count, timeout=timeout
            )

    def reset(self) -> None:
        with self._lock:
            self._log.clear()
            self._peak.clear()

    # used by the handler
    def _take_fault(self, path: str) -> Fault:
        with self._lock:
            for key in (path, "*"):
                fault = self._faults.get(key)
                if fault is None or fault.count == 0:
                    continue
                if fault.count is not None:
                    fault.count -= 1
                return replace(fault)
        return Fault()

    def _document(self, path: str) -> _Document | None:
        with self._lock:
            document = self._documents.get(path)
        if document is not None or self.directory is None:
            return document
        file = (self.directory / unquote(path).lstrip("/")).resolve()
        if not file.is_relative_to(self.directory) or not file.is_file():
            return None
        kind = _TYPES.get(file.suffix.lower()) or mimetypes.guess_type(file.name)[0]
        return _Document(file.read_bytes(), kind or "application/xml", file.stat().st_mtime)

    def _etag(self, document: _Document, fault: Fault) -> str:
        if fault.changing_etag:
            with self._lock:
                self._etag_counter += 1
                return f'"v{self._etag_counter}"'
        return '"' + hashlib.sha256(document.body).hexdigest()[:24] + '"'

    def _enter(self, host: str) -> None:
        with self._lock:
            for key in ("", host):
                self._in_flight[key] = self._in_flight.get(key, 0) + 1
                self._peak[key] = max(self._peak.get(key, 0), self._in_flight[key])
            self._lock.notify_all()

    def _leave(self, host: str, record: RequestRecord) -> None:
        with self._lock:
            for key in ("", host):
                self._in_flight[key] -= 1
            self._log.append(record)
            self._lock.notify_all()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    app: FeedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up early are part of the tests


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "test-feed-server/1"
    sys_version = ""
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server: _Server
    _path: str
    _host: str
    _finished: bool

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        app = self.server.app
        self._path = urlsplit(self.path).path
        self._host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        self._finished = False
        app._enter(self._host)
        status = 0
        try:
            status = self._answer(app, self._path)
        except (ConnectionError, BrokenPipeError):
            self.close_connection = True
        finally:
            self._finish(status)

    def _finish(self, status: int) -> None:
        """Log the request and leave the in-flight count: before the answer goes out, so a
        client that has the answer always finds its request logged."""
        if self._finished:
            return
        self._finished = True
        headers = {name.lower(): value for name, value in self.headers.items()}
        record = RequestRecord(self._path, "GET", headers, status, self._host)
        self.server.app._leave(self._host, record)

    def _answer(self, app: FeedServer, path: str) -> int:
        fault = app._take_fault(path)
        if fault.gate is not None:
            fault.gate.wait(_GATE_LIMIT)
        if fault.delay:
            time.sleep(fault.delay)
        if fault.drop:
            self._finish(0)
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return 0
        if fault.redirect:
            return self._send(
                fault.redirect_status, b"", "text/plain", {"Location": fault.redirect}
            )
        if fault.status and fault.status >= 400:
            page = f"<html><body><h1>{fault.status}</h1></body></html>".encode()
            return self._send(fault.status, page, "text/html", fault.headers)
        document = app._document(path)
        if document is None:
            return self._send(404, b"not found", "text/plain", {})
        return self._send_document(app, document, fault)

    def _send_document(self, app: FeedServer, document: _Document, fault: Fault) -> int:
        etag = app._etag(document, fault)
        last_modified = email.utils.formatdate(document.last_modified, usegmt=True)
        validators = {"ETag": etag, "Last-Modified": last_modified, **fault.headers}
        if self._not_modified(etag, document.last_modified):
            return self._send(304, None, None, validators)
        kind = fault.content_type or document.content_type
        if fault.gzip_bomb:
            bomb = gzip_bomb(fault.gzip_bomb)
            return self._send(200, bomb, kind, {**validators, "Content-Encoding": "gzip"})
        if fault.huge_bytes:
            return self._send_huge(document.body, fault.huge_bytes, kind, validators)
        body = document.body[: fault.truncate] if fault.truncate is not None else document.body
        if fault.gzip:
            return self._send(
                200, gzip.compress(body), kind, {**validators, "Content-Encoding": "gzip"}
            )
        return self._send(fault.status or 200, body, kind, validators, fault.chunk_delay)

    def _not_modified(self, etag: str, last_modified: float) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is None:
            return False
        try:
            since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError):
            return False
        return int(last_modified) <= since

    def _send(
        self,
        status: int,
        body: bytes | None,
        kind: str | None,
        headers: dict[str, str],
        chunk_delay: float = 0.0,
    ) -> int:
        self._finish(status)
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        for name, value in headers.items():
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        step = 1024 if chunk_delay else len(body or b"")
        for start in range(0, len(body or b""), step or 1):
            if start and chunk_delay:
                time.sleep(chunk_delay)
            self.wfile.write((body or b"")[start : start + step])
            self.wfile.flush()
        return status

    def _send_huge(self, body: bytes, size: int, kind: str, headers: dict[str, str]) -> int:
        """The document, then an XML comment padding it to ``size`` bytes, streamed."""
        head, tail = body + b"\n<!-- ", b" -->\n"
        padding = max(0, size - len(head) - len(tail))
        self._finish(200)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(head) + padding + len(tail)))
        self.end_headers()
        self.wfile.write(head)
        chunk = b"x" * 65536
        while padding > 0:
            self.wfile.write(chunk[: min(padding, len(chunk))])
            padding -= len(chunk)
        self.wfile.write(tail)
        return 200
