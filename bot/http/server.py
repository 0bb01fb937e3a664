"""The HTTP server of `humasbot run`: a Starlette app on uvicorn, in the bot's own event loop.

Starlette because python-telegram-bot's own custom-webhook example uses it, it is small, and it
carries what a later staff panel needs on the same server (templates, sessions, CSRF
middleware, mounts under /panel); uvicorn is its standard server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.http.health import Readiness
from bot.http.metrics import Metrics
from bot.settings import parse_listen

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)


def create_app(
    *,
    metrics: Metrics,
    readiness: Readiness,
    services: Callable[[], Services | None],
    routes: Sequence[BaseRoute] = (),
) -> Starlette:
    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")  # liveness: the event loop answers; no database

    async def readyz(request: Request) -> Response:
        ready, body = await readiness.report()
        return JSONResponse(body, status_code=200 if ready else 503)

    async def metrics_page(request: Request) -> Response:
        if (current := services()) is not None:
            with contextlib.suppress(Exception):  # a database down shows in /readyz, not here
                pending = await asyncio.to_thread(current.store.outbox_pending)
                metrics.outbox_pending.set(pending)
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_page, methods=["GET"]),
            *routes,
        ]
    )


class ListenError(Exception):
    """The server cannot listen on http.listen (port in use, address not on this host)."""


class _Embedded(uvicorn.Server):
    """uvicorn without its own signal handling: `humasbot run` handles SIGINT and SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class HttpServer:
    def __init__(self, app: Starlette, listen: str) -> None:
        self.listen = listen
        config = uvicorn.Config(
            app, log_config=None, access_log=False, lifespan="off", timeout_graceful_shutdown=5
        )
        self._server = _Embedded(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listen now (binding here, so a port in use is an error the caller sees)."""
        try:
            sock = _bind(*parse_listen(self.listen))
        except OSError as exc:
            raise ListenError(f"http.listen {self.listen}: {exc.strerror or exc}") from None
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]), name="http-server")
        log.info("http server listening on %s", self.listen)

    async def stop(self) -> None:
        if self._task is None:
            return
        self._server.should_exit = True
        await asyncio.gather(self._task, return_exceptions=True)


def _bind(host: str, port: int) -> socket.socket:
    # proto=IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on such sockets' connections, and
    # without it Nagle's algorithm and delayed ACKs add ~40 ms to every answer.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock
