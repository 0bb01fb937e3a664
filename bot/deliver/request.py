"""python-telegram-bot's HTTP layer, counting the 429s the Bot API answers (every method)."""

from __future__ import annotations

from typing import Any

from telegram.request import HTTPXRequest

from bot.http.metrics import Metrics

TOO_MANY_REQUESTS = 429


class CountingRequest(HTTPXRequest):
    def __init__(self, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metrics = metrics

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(*args, **kwargs)
        if code == TOO_MANY_REQUESTS:
            self.metrics.retry_after.inc()
        return code, payload
