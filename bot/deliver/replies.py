"""Replies of several messages (/terbaru) go through a queue per chat, sent paced by a task of
their own: the command's handler returns at once instead of sleeping on Telegram's per-chat pace,
and a chat can have only so many waiting."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque

from bot.deliver.pacer import Pacer
from bot.deliver.sink import Sink
from bot.models import Post

log = logging.getLogger(__name__)

MAX_WAITING = 20  # messages waiting for one chat


class ReplyQueue:
    def __init__(self, sink: Sink, pacer: Pacer, max_waiting: int = MAX_WAITING) -> None:
        self.sink, self.pacer, self.max_waiting = sink, pacer, max_waiting
        self._waiting: dict[int | str, deque[Post]] = {}
        self._tasks: dict[int | str, asyncio.Task[None]] = {}

    def submit(self, chat_id: int | str, posts: list[Post]) -> bool:
        """Queue the posts for the chat, in order; False (nothing queued) when they would not
        fit beside what already waits."""
        waiting = self._waiting.setdefault(chat_id, deque())
        if len(waiting) + len(posts) > self.max_waiting:
            return False
        waiting.extend(posts)
        if chat_id not in self._tasks:
            task = asyncio.get_running_loop().create_task(self._drain(chat_id))
            self._tasks[chat_id] = task
        return True

    def waiting(self, chat_id: int | str) -> int:
        return len(self._waiting.get(chat_id, ()))

    async def _drain(self, chat_id: int | str) -> None:
        waiting = self._waiting[chat_id]
        try:
            while waiting:
                if not await self._send(chat_id, waiting[0]):
                    waiting.clear()
                    break
                waiting.popleft()
        finally:
            del self._tasks[chat_id]
            if not waiting:
                self._waiting.pop(chat_id, None)

    async def _send(self, chat_id: int | str, post: Post) -> bool:
        await self.pacer.acquire(chat_id)
        outcome = await self.sink.send(chat_id, post)
        if outcome.rate_limited and outcome.retry_after:  # a 429: wait it out once
            self.pacer.block(outcome.retry_after, chat_id)
            await self.pacer.acquire(chat_id)
            outcome = await self.sink.send(chat_id, post)
        if outcome.status != "sent":
            log.warning("reply failed chat_id=%s error=%s", chat_id, outcome.error)
        return outcome.status == "sent"

    async def close(self) -> None:
        """Stop sending (at shutdown): what still waits is dropped."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._waiting.clear()
