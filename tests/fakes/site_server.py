"""A real HTTP server on 127.0.0.1 serving small web sites for discovery tests.

    with SiteServer() as site:
        site.page("/", b"<html>...</html>")                  # text/html
        site.page("/?feed=rss2", rss, "application/rss+xml")  # the query is part of the key
        site.asked()                                          # ["/", "/?feed=rss2", ...]

Unknown addresses answer 404 with a small HTML page, as real sites do. Standard library only.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


class SiteServer:
    def __init__(self) -> None:
        self._pages: dict[str, tuple[bytes, str]] = {}
        self._asked: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.site = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def page(self, target: str, body: bytes, content_type: str = "text/html") -> None:
        """Serve ``body`` at ``target`` (path, and query when it has one)."""
        with self._lock:
            self._pages[target] = (body, content_type)

    def asked(self) -> list[str]:
        with self._lock:
            return list(self._asked)

    def _answer(self, target: str) -> tuple[int, bytes, str]:
        with self._lock:
            self._asked.append(target)
            found = self._pages.get(target)
        if found is None:
            return 404, b"<html><body>Halaman tidak ditemukan</body></html>", "text/html"
        return 200, found[0], found[1]

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        site: SiteServer = self.server.site  # type: ignore[attr-defined]
        status, body, kind = site._answer(self.path)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return
