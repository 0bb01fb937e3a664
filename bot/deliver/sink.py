"""Where posts go: the protocol every sink follows, and a console sink for demos."""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import Protocol, TextIO

from bot.models import Post, SendOutcome


class Sink(Protocol):
    async def send(self, chat_id: int | str, post: Post) -> SendOutcome:
        """Send one post to one chat; every failure comes back as an outcome, never raised."""
        ...


class ConsoleSink:
    """Prints each post as it would go to Telegram (the HTML text), one block per send.

    Message ids run per chat from 1, as Telegram numbers them.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._last_id: defaultdict[int | str, int] = defaultdict(int)

    async def send(self, chat_id: int | str, post: Post) -> SendOutcome:
        self._last_id[chat_id] += 1
        message_id = self._last_id[chat_id]
        stream = self._stream or sys.stdout
        as_photo = bool(post.image and post.caption)
        kind = "sendPhoto" if as_photo else "sendMessage"
        stream.write(f"── {chat_id} · #{message_id} · {kind} (HTML) ──\n")
        if as_photo:
            stream.write(f"[foto] {post.image}\n{post.caption}\n\n")
        else:
            stream.write(f"{post.html}\n\n")
        stream.flush()
        return SendOutcome(status="sent", message_id=message_id)
