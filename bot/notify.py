"""Telling the admins: in the admin chat from the config, else each admin in private."""

from __future__ import annotations

import html
import logging
from typing import Any

from bot import i18n
from bot.deliver.pacer import Pacer
from bot.deliver.sink import Sink
from bot.models import Post
from bot.settings import Config

log = logging.getLogger(__name__)


class AdminNotifier:
    def __init__(self, config: Config, sink: Sink, pacer: Pacer) -> None:
        self.config, self.sink, self.pacer = config, sink, pacer

    def targets(self) -> list[int]:
        if self.config.admin_chat_id is not None:
            return [self.config.admin_chat_id]
        return list(self.config.admins)

    async def send(self, post: Post) -> int:
        """Send a ready post (it may carry buttons) to the admins; returns how many got it."""
        delivered = 0
        for chat_id in self.targets():
            await self.pacer.acquire(chat_id)
            outcome = await self.sink.send(chat_id, post)
            delivered += outcome.status == "sent"
            if outcome.status != "sent":
                log.warning("admin post failed chat_id=%s error=%s", chat_id, outcome.error)
        return delivered

    async def notify(self, key: str, **fields: Any) -> int:
        """Send the catalogue text `key` (fields HTML-escaped) to the admins; returns how many
        received it. A failure is logged, never raised: a notice must not stop the pipeline."""
        text = i18n.text(
            key, self.config.language, **{k: html.escape(str(v)) for k, v in fields.items()}
        )
        delivered = 0
        for chat_id in self.targets():
            await self.pacer.acquire(chat_id)
            outcome = await self.sink.send(chat_id, Post(html=text))
            if outcome.status == "sent":
                delivered += 1
            else:
                log.warning(
                    "admin notice failed chat_id=%s key=%s error=%s", chat_id, key, outcome.error
                )
        if not self.targets():
            log.warning("admin notice with no admin configured key=%s fields=%s", key, fields)
        return delivered
