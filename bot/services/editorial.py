"""What admins do to the posts: decide reviews (✅ Terbitkan / ❌ Tolak), take posts back
(/tarik), correct them (/koreksi), pause and resume automatic posting (/jeda, /lanjut). Each is
refused to anyone not an admin and recorded in the audit log.

A retraction or correction is asked for first and done on ✅: the request is kept in the
database under a token (the button's data), so the ✅ works on any instance and after a
restart, once."""

from __future__ import annotations

import asyncio
import enum
import html
import json
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from bot import i18n
from bot.dates import format_when
from bot.deliver.pacer import Pacer
from bot.deliver.sink import Sink
from bot.editorial.pause import Pause, touching
from bot.services.base import Actor, Admins, Audit, Clock, Denied, Wakeup, utc_now
from bot.services.broadcasts import MAX_TEXT
from bot.storage import Store
from bot.storage.confirmations import CONFIRM_TTL as CONFIRM_TTL
from bot.storage.editorial import DELETED as DELETED
from bot.storage.editorial import EDITED as EDITED
from bot.storage.editorial import Review, SentMessage

log = logging.getLogger(__name__)

RETRACT, CORRECT = "tr", "kr"  # the kinds of a request waiting for its ✅


@dataclass(frozen=True)
class Reach:
    """A stored post and the messages it became in the channels."""

    item_id: int
    html: str
    messages: tuple[SentMessage, ...]

    @property
    def chat_ids(self) -> list[str]:
        return [message.chat_id for message in self.messages]


@dataclass(frozen=True)
class Decided:
    review: Review
    published: bool


@dataclass(frozen=True)
class NotPending:
    """The review was decided (or expired) before: as it stands, None when unknown."""

    review: Review | None


class ItemUnknown(enum.Enum):
    ITEM_UNKNOWN = "item_unknown"  # no stored post with that id


@dataclass(frozen=True)
class Requested:
    """A /tarik or /koreksi waiting for its ✅: where it would act, the corrected post (for a
    correction) and the token the buttons carry."""

    kind: str  # RETRACT or CORRECT
    reach: Reach
    token: str
    new_html: str = ""


@dataclass(frozen=True)
class CorrectionTooLong:
    limit: int  # characters the correction may have


class Answer(enum.Enum):
    EXPIRED = "expired"  # older than CONFIRM_TTL
    GONE = "gone"  # used already, or unknown
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Done:
    """A retraction or correction done: per chat, DELETED / EDITED or why it failed."""

    kind: str
    item_id: int
    results: dict[str, str]


@dataclass(frozen=True)
class UnknownChats:
    """Targets that are no channels of the bot."""

    chats: tuple[str, ...]


class EditorialService:
    def __init__(
        self,
        store: Store,
        sink: Sink,
        pacer: Pacer,
        admins: Admins,
        audit: Audit,
        wakeup: Wakeup,
        *,
        language: str,
        timezone: str,
        clock: Clock = utc_now,
    ) -> None:
        self.store, self.sink, self.pacer = store, sink, pacer
        self.admins, self.audit, self.wakeup = admins, audit, wakeup
        self.language, self.timezone, self.clock = language, timezone, clock

    # --- review ------------------------------------------------------------------------

    async def decide(
        self, review_id: int, publish: bool, by: Actor
    ) -> Decided | NotPending | Denied:
        """Publish (the deliveries join the outbox at once) or reject a pending review."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        review = await asyncio.to_thread(
            self.store.decide_review, review_id, publish=publish, by=by.user_id, now=self.clock()
        )
        if review is None:
            return NotPending(await self.review(review_id))
        action = "review_publish" if publish else "review_reject"
        chats = ",".join(review.chat_ids)
        await self.audit.record(
            by, action, f"review=#{review_id} item=#{review.item_id} to={chats}"
        )
        if publish:
            self.wakeup()
        return Decided(review, publish)

    async def review(self, review_id: int) -> Review | None:
        return await asyncio.to_thread(self.store.review, review_id)

    async def pending_reviews(self) -> list[Review]:
        return await asyncio.to_thread(self.store.reviews, "pending")

    # --- retract and correct -----------------------------------------------------------

    async def reach(self, item_id: int) -> Reach | None:
        """The post of item `item_id` and where it was sent; None when there is no such post."""
        found = await asyncio.to_thread(self.store.item_post, item_id)
        if found is None:
            return None
        messages = await asyncio.to_thread(self.store.sent_messages, item_id)
        return Reach(item_id, found[0], tuple(messages))

    async def request_retract(self, item_id: int, by: Actor) -> Requested | ItemUnknown | Denied:
        """/tarik: what would be deleted where; done on `answer`."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        reach = await self.reach(item_id)
        if reach is None:
            return ItemUnknown.ITEM_UNKNOWN
        token = await self._remember(RETRACT, by, item_id)
        await self.audit.record(
            by, "retract_request", f"item=#{item_id} reached={len(reach.messages)}"
        )
        return Requested(RETRACT, reach, token)

    async def request_correct(
        self, item_id: int, text: str, by: Actor
    ) -> Requested | CorrectionTooLong | ItemUnknown | Denied:
        """/koreksi: the corrected post as it will read; done on `answer`."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        new_html = self.correction_html(text, self.clock())
        if len(new_html) > MAX_TEXT:
            return CorrectionTooLong(max(MAX_TEXT - (len(new_html) - len(text)), 0))
        reach = await self.reach(item_id)
        if reach is None:
            return ItemUnknown.ITEM_UNKNOWN
        token = await self._remember(CORRECT, by, item_id, text)
        await self.audit.record(by, "correct_request", f"item=#{item_id} text={text[:300]!r}")
        return Requested(CORRECT, reach, token, new_html)

    async def answer(
        self, kind: str, token: str, confirmed: bool, by: Actor
    ) -> Done | Answer | Denied:
        """✅ or ❌ under a /tarik or /koreksi: the request is used up either way."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        found = await asyncio.to_thread(
            self.store.take_press, token, kind, by.chat_id or 0, now=self.clock()
        )
        if found.state != "ok" or kind not in (RETRACT, CORRECT):
            return Answer.EXPIRED if found.state == "expired" else Answer.GONE
        item_id, text = int(found.payload["item_id"]), str(found.payload.get("text", ""))
        name = "retract" if kind == RETRACT else "correct"
        if not confirmed:
            await self.audit.record(by, f"{name}_cancel", f"item=#{item_id}")
            return Answer.CANCELLED
        if kind == RETRACT:
            return Done(kind, item_id, await self.retract(item_id, by))
        return Done(kind, item_id, await self.correct(item_id, text, by))

    async def retract(self, item_id: int, by: Actor) -> dict[str, str]:
        """Delete the post in every channel it reached (and hold what has not gone yet):
        chat id -> DELETED or why it could not be deleted."""
        results: dict[str, str] = {}
        for message in await asyncio.to_thread(self.store.sent_messages, item_id):
            await self.pacer.acquire(message.chat_id)
            reason = await self.sink.delete(message.chat_id, message.message_id)
            results[message.chat_id] = reason or DELETED
        await asyncio.to_thread(
            self.store.record_retraction, item_id, results, by=by.user_id, now=self.clock()
        )
        await self.audit.record(by, "retract", f"item=#{item_id} results={_json(results)}")
        return results

    def correction_html(self, text: str, now: datetime) -> str:
        """The corrected post: a correction mark with the time, then the admin's words."""
        when = format_when(now, self.timezone, self.language)
        mark = i18n.text("correction_mark", self.language, when=when)
        return f"{mark}\n\n{html.escape(text.strip(), quote=False)}"

    async def correct(self, item_id: int, text: str, by: Actor) -> dict[str, str]:
        """Replace the post in every channel with the admin's text, marked as a correction, and
        keep the old text on record: chat id -> EDITED or why it could not be edited."""
        now = self.clock()
        new_html = self.correction_html(text, now)
        results: dict[str, str] = {}
        for message in await asyncio.to_thread(self.store.sent_messages, item_id):
            await self.pacer.acquire(message.chat_id)
            reason = await self.sink.edit(
                message.chat_id, message.message_id, new_html, caption=message.caption
            )
            results[message.chat_id] = reason or EDITED
        old = await asyncio.to_thread(
            self.store.record_correction, item_id, new_html, results, by=by.user_id, now=now
        )
        detail = f"item=#{item_id} results={_json(results)} old={old[:300]!r} new={text[:300]!r}"
        await self.audit.record(by, "correct", detail)
        return results

    async def _remember(self, kind: str, by: Actor, item_id: int, text: str = "") -> str:
        payload = {"item_id": item_id, "text": text}
        return await asyncio.to_thread(
            self.store.await_press, kind, by.chat_id or 0, payload, now=self.clock()
        )

    # --- pause ---------------------------------------------------------------------------

    async def pause(
        self, chats: Collection[str] | None, until: datetime | None, by: Actor
    ) -> int | UnknownChats | Denied:
        """Hold automatic posts to `chats` (None: every channel) until `until` or a resume;
        returns the pause's id."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        if chats is not None and (unknown := await self._unknown(chats)):
            return unknown
        pause_id = await asyncio.to_thread(
            self.store.add_pause, chats, until, by=by.user_id, now=self.clock()
        )
        to = ",".join(sorted(chats)) if chats is not None else "all"
        until_text = until.isoformat() if until else "resume"
        await self.audit.record(by, "pause", f"pause=#{pause_id} to={to} until={until_text}")
        return pause_id

    async def resume(self, chats: Collection[str] | None, by: Actor) -> int | UnknownChats | Denied:
        """Lift the pauses in force (all, or those naming `chats`); returns how many."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        if chats is not None and (unknown := await self._unknown(chats)):
            return unknown
        lifted = await asyncio.to_thread(
            self.store.lift_pauses, chats, by=by.user_id, now=self.clock()
        )
        to = ",".join(sorted(chats)) if chats is not None else "all"
        await self.audit.record(by, "resume", f"to={to} lifted={lifted}")
        if lifted:
            self.wakeup()
        return lifted

    async def pauses(self, targets: Collection[str] | None = None) -> list[Pause]:
        """The pauses in force (those touching `targets`, when given)."""
        found = await asyncio.to_thread(self.store.active_pauses, self.clock())
        return found if targets is None else touching(found, targets)

    async def _unknown(self, chats: Collection[str]) -> UnknownChats | None:
        known = {c.chat_id for c in await asyncio.to_thread(self.store.channel_list)}
        unknown = tuple(c for c in chats if c not in known)
        return UnknownChats(unknown) if unknown or not chats else None


def _json(results: dict[str, str]) -> str:
    return json.dumps(results, ensure_ascii=False, sort_keys=True)
