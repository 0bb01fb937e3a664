"""The webhook: Telegram POSTs each update here; it goes to the Application's update queue.

Only pushes carrying the secret (`X-Telegram-Bot-Api-Secret-Token`, compared in constant time)
are read; bodies over 1 MB and JSON that is not an update are refused. The answer is immediate:
handlers run later, from the queue, so a slow command never makes Telegram retry.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024


class TooLarge(Exception):
    pass


def webhook_route(path: str, app: Application[Any, Any, Any, Any, Any, Any], secret: str) -> Route:
    expected = secret.encode()

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            log.warning("webhook refused reason=no_secret client=%s", _client(request))
            return PlainTextResponse("secret token missing", status_code=401)
        if not hmac.compare_digest(given.encode(), expected):
            log.warning("webhook refused reason=wrong_secret client=%s", _client(request))
            return PlainTextResponse("secret token wrong", status_code=403)
        try:
            body = await _read(request)
        except TooLarge:
            log.warning("webhook refused reason=too_large client=%s", _client(request))
            return PlainTextResponse("body over 1 MB", status_code=413)
        except ClientDisconnect:  # Telegram gave up mid-body; it sends the update again
            log.info("webhook client left before the body ended client=%s", _client(request))
            return Response(status_code=400)
        update = _update(body, app)
        if update is None:
            log.warning("webhook refused reason=unreadable bytes=%s", len(body))
            return PlainTextResponse("not a Telegram update", status_code=400)
        await app.update_queue.put(update)
        return Response(status_code=200)

    return Route(path, receive, methods=["POST"], name="webhook")


async def _read(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise TooLarge
    return bytes(body)


def _update(body: bytes, app: Application[Any, Any, Any, Any, Any, Any]) -> Update | None:
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return None
        return Update.de_json(data, app.bot)
    except Exception:  # unreadable JSON or a shape PTB cannot read: refused, the server stays up
        return None


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"
