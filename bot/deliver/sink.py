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

    async def delete(self, chat_id: int | str, message_id: int) -> str | None:
        """Delete a sent message: None when done, else why not, in words."""
        ...

    async def edit(
        self, chat_id: int | str, message_id: int, html: str, *, caption: bool
    ) -> str | None:
        """Replace a sent message's text (`caption`: a photo's caption): None when done."""
        ...


class ConsoleSink:
    """Prints each post as it would go to Telegram (the HTML text), one block per send.

    Message ids run per chat from 1, as Telegram numbers them; deletions and edits are printed
    too, and refused like Telegram does for messages this sink never sent (or already deleted).
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._last_id: defaultdict[int | str, int] = defaultdict(int)
        self._live: set[tuple[str, int]] = set()

    async def send(self, chat_id: int | str, post: Post) -> SendOutcome:
        self._last_id[chat_id] += 1
        message_id = self._last_id[chat_id]
        self._live.add((str(chat_id), message_id))
        as_photo = bool(post.image and post.caption)
        kind = "sendPhoto" if as_photo else "sendMessage"
        lines = [f"── {chat_id} · #{message_id} · {kind} (HTML) ──"]
        lines.append(f"[foto] {post.image}\n{post.caption}" if as_photo else post.html)
        if post.buttons:
            lines.append(" ".join(f"[{label}]" for label, _ in post.buttons))
        self._write("\n".join(lines) + "\n\n")
        return SendOutcome(status="sent", message_id=message_id)

    async def delete(self, chat_id: int | str, message_id: int) -> str | None:
        if (str(chat_id), message_id) not in self._live:
            return "message to delete not found"
        self._live.discard((str(chat_id), message_id))
        self._write(f"── {chat_id} · #{message_id} · deleteMessage ──\n\n")
        return None

    async def edit(
        self, chat_id: int | str, message_id: int, html: str, *, caption: bool
    ) -> str | None:
        if (str(chat_id), message_id) not in self._live:
            return "message to edit not found"
        kind = "editMessageCaption" if caption else "editMessageText"
        self._write(f"── {chat_id} · #{message_id} · {kind} (HTML) ──\n{html}\n\n")
        return None

    def _write(self, text: str) -> None:
        stream = self._stream or sys.stdout
        stream.write(text)
        stream.flush()
