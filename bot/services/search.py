"""What the public may read: the latest election posts (/terbaru), a search through them (/cari),
and the posts sent to one chat, paced in the background."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.deliver.replies import ReplyQueue
from bot.models import Post
from bot.search import matching
from bot.services.base import Clock, utc_now
from bot.storage import Store
from bot.storage.confirmations import SEARCH_TTL
from bot.storage.posts import PublicPost

MAX_LATEST = 10
SEARCH_SCOPE = 1000  # /cari looks through this many of the newest election posts
SEARCH_KIND = "cari"  # the kind of a stored query (a button carries its token)


class SearchService:
    def __init__(self, store: Store, replies: ReplyQueue, *, clock: Clock = utc_now) -> None:
        self.store, self.replies, self.clock = store, replies, clock

    async def published(self, *, since: datetime | None = None, limit: int) -> list[PublicPost]:
        """What the public may see (bot.storage.public), newest first: every public reader
        (/terbaru, /cari, digests) goes through here."""
        return await asyncio.to_thread(self.store.published_posts, since=since, limit=limit)

    async def latest(self, count: int) -> list[PublicPost]:
        """The newest public election posts, oldest of them first (the newest ends up last)."""
        posts = await self.published(limit=min(max(count, 1), MAX_LATEST))
        return list(reversed(posts))

    async def search(self, query: str) -> list[PublicPost]:
        """Recent election posts containing every word of the query (by stem), newest first."""
        posts = await self.published(limit=SEARCH_SCOPE)
        return await asyncio.to_thread(matching, posts, query)

    def send_posts(self, chat_id: int | str, posts: list[PublicPost]) -> bool:
        """Queue stored posts for one chat, sent paced in the background (the caller does not
        wait); False when the chat already has too many waiting."""
        return self.replies.submit(
            chat_id, [Post(html=p.html, image=p.image, caption=p.caption) for p in posts]
        )

    async def keep_query(self, chat_id: int, query: str) -> str:
        """Keep a query too long for a button in the database: the token that finds it again
        (on any instance, after a restart) for SEARCH_TTL."""
        return await asyncio.to_thread(
            self.store.await_press,
            SEARCH_KIND,
            chat_id,
            {"query": query},
            now=self.clock(),
            ttl=SEARCH_TTL,
        )

    async def kept_query(self, chat_id: int, token: str) -> str | None:
        """The query kept under `token` for this chat; None when unknown or expired."""
        found = await asyncio.to_thread(
            self.store.read_press, token, SEARCH_KIND, chat_id, now=self.clock()
        )
        return str(found.payload["query"]) if found.state == "ok" else None
