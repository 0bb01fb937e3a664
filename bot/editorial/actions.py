"""What admins do to the posts: decide reviews, take posts back, correct them, pause and resume
automatic posting. Each action is recorded in the audit log; the command handlers and any other
caller share these."""

from __future__ import annotations

import asyncio
import html
import json
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot import i18n
from bot.broadcast.dates import format_when
from bot.editorial.pause import Pause
from bot.storage.editorial import Review, SentMessage

if TYPE_CHECKING:
    from bot.services import Services
    from bot.storage import Store

log = logging.getLogger(__name__)

# The result of a retraction or correction in one chat when it worked; otherwise the reason.
DELETED, EDITED = "dihapus", "diubah"


@dataclass(frozen=True)
class Actor:
    """Who acts, for the audit log: the admin's user id, name, and the chat they wrote in."""

    user_id: int
    name: str | None = None
    chat_id: int | None = None


@dataclass(frozen=True)
class Reach:
    """A stored post and the messages it became in the channels."""

    item_id: int
    html: str
    messages: tuple[SentMessage, ...]

    @property
    def chat_ids(self) -> list[str]:
        return [message.chat_id for message in self.messages]


def _now() -> datetime:
    return datetime.now(UTC)


class Editorial:
    def __init__(self, services: Services) -> None:
        self._services = services

    @property
    def _store(self) -> Store:
        return self._services.store

    # --- review -----------------------------------------------------------------------------

    async def decide(self, review_id: int, publish: bool, by: Actor) -> Review | None:
        """Publish (the deliveries join the outbox at once) or reject a pending review; None
        when it was not pending."""
        review = await asyncio.to_thread(
            self._store.decide_review, review_id, publish=publish, by=by.user_id, now=_now()
        )
        if review is None:
            return None
        action = "review_publish" if publish else "review_reject"
        chats = ",".join(review.chat_ids)
        await self._audit(by, action, f"review=#{review_id} item=#{review.item_id} to={chats}")
        if publish:
            self._services.wake_delivery()
        return review

    async def review(self, review_id: int) -> Review | None:
        return await asyncio.to_thread(self._store.review, review_id)

    async def pending_reviews(self) -> list[Review]:
        return await asyncio.to_thread(self._store.reviews, "pending")

    # --- retract and correct ----------------------------------------------------------------

    async def reach(self, item_id: int) -> Reach | None:
        """The post of item `item_id` and where it was sent; None when there is no such post."""
        found = await asyncio.to_thread(self._store.item_post, item_id)
        if found is None:
            return None
        messages = await asyncio.to_thread(self._store.sent_messages, item_id)
        return Reach(item_id, found[0], tuple(messages))

    async def retract(self, item_id: int, by: Actor) -> dict[str, str]:
        """Delete the post in every channel it reached (and hold what has not gone yet):
        chat id -> DELETED or why it could not be deleted."""
        results: dict[str, str] = {}
        for message in await asyncio.to_thread(self._store.sent_messages, item_id):
            await self._services.pacer.acquire(message.chat_id)
            reason = await self._services.sink.delete(message.chat_id, message.message_id)
            results[message.chat_id] = reason or DELETED
        await asyncio.to_thread(
            self._store.record_retraction, item_id, results, by=by.user_id, now=_now()
        )
        await self._audit(by, "retract", f"item=#{item_id} results={_json(results)}")
        return results

    def correction_html(self, text: str, now: datetime) -> str:
        """The corrected post: a correction mark with the time, then the admin's words."""
        config = self._services.config
        when = format_when(now, config.timezone, config.language)
        mark = i18n.text("correction_mark", config.language, when=when)
        return f"{mark}\n\n{html.escape(text.strip(), quote=False)}"

    async def correct(self, item_id: int, text: str, by: Actor) -> dict[str, str]:
        """Replace the post in every channel with the admin's text, marked as a correction, and
        keep the old text on record: chat id -> EDITED or why it could not be edited."""
        now = _now()
        new_html = self.correction_html(text, now)
        results: dict[str, str] = {}
        for message in await asyncio.to_thread(self._store.sent_messages, item_id):
            await self._services.pacer.acquire(message.chat_id)
            reason = await self._services.sink.edit(
                message.chat_id, message.message_id, new_html, caption=message.caption
            )
            results[message.chat_id] = reason or EDITED
        old = await asyncio.to_thread(
            self._store.record_correction, item_id, new_html, results, by=by.user_id, now=now
        )
        detail = f"item=#{item_id} results={_json(results)} old={old[:300]!r} new={text[:300]!r}"
        await self._audit(by, "correct", detail)
        return results

    # --- pause --------------------------------------------------------------------------------

    async def pause(self, chats: Collection[str] | None, until: datetime | None, by: Actor) -> int:
        """Hold automatic posts to `chats` (None: every channel) until `until` or a resume."""
        pause_id = await asyncio.to_thread(
            self._store.add_pause, chats, until, by=by.user_id, now=_now()
        )
        to = ",".join(sorted(chats)) if chats is not None else "all"
        until_text = until.isoformat() if until else "resume"
        await self._audit(by, "pause", f"pause=#{pause_id} to={to} until={until_text}")
        return pause_id

    async def resume(self, chats: Collection[str] | None, by: Actor) -> int:
        """Lift the pauses in force (all, or those naming `chats`); returns how many."""
        lifted = await asyncio.to_thread(self._store.lift_pauses, chats, by=by.user_id, now=_now())
        to = ",".join(sorted(chats)) if chats is not None else "all"
        await self._audit(by, "resume", f"to={to} lifted={lifted}")
        if lifted:
            self._services.wake_delivery()
        return lifted

    async def pauses(self) -> list[Pause]:
        return await asyncio.to_thread(self._store.active_pauses, _now())

    # --- records ------------------------------------------------------------------------------

    async def _audit(self, by: Actor, action: str, detail: str) -> None:
        await asyncio.to_thread(
            self._store.record_audit,
            user_id=by.user_id,
            user_name=by.name,
            chat_id=by.chat_id,
            action=action,
            detail=detail,
            now=_now(),
        )
        log.info("editorial_action user_id=%s action=%s", by.user_id, action)


def _json(results: dict[str, str]) -> str:
    return json.dumps(results, ensure_ascii=False, sort_keys=True)
