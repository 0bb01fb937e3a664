"""Broadcasts and schedules: an admin's draft (/siarkan, /jadwal) checked and kept until ✅ Kirim,
then sent at once or its schedule set (the runs themselves are bot.services.broadcast_runs);
the pending schedules (/daftarjadwal, /batal); the schedules of a removed admin paused and
taken over."""

from __future__ import annotations

import asyncio
import enum
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot import i18n
from bot.editorial.pause import Pause, touching
from bot.models import Post
from bot.notify import AdminNotifier
from bot.services.base import Actor, Admins, Audit, Clock, Denied, utc_now
from bot.services.broadcast_runs import BroadcastRuns
from bot.storage import Store
from bot.storage.broadcasts import Broadcast, Draft
from bot.storage.confirmations import CONFIRM_TTL as CONFIRM_TTL  # how long a draft waits

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram's limit on a message
MAX_CAPTION = 1024  # and on a photo's caption
TAKE_OVER = "sc:take"  # callback data prefix of the button that takes schedules over


def take_over_data(user_id: int) -> str:
    return f"{TAKE_OVER}:{user_id}"


class Timer(Protocol):
    """What keeps time for schedules (bot.broadcast.scheduler.BroadcastScheduler)."""

    def arrange(self, broadcast: Broadcast) -> None: ...

    def forget(self, broadcast_id: int) -> None: ...


class NoTimer:
    """Without a job queue (the CLI, tests): the scheduler holder finds schedules in the
    database when it syncs."""

    def arrange(self, broadcast: Broadcast) -> None:
        return None

    def forget(self, broadcast_id: int) -> None:
        return None


class DraftProblem(enum.Enum):
    UNKNOWN_TARGETS = "unknown_targets"  # `unknown` names them
    UNKNOWN_ITEM = "unknown_item"
    EMPTY = "empty"
    TOO_LONG = "too_long"  # `limit` says how long it may be


@dataclass(frozen=True)
class DraftRefused:
    problem: DraftProblem
    unknown: tuple[str, ...] = ()
    limit: int = 0


@dataclass(frozen=True)
class DraftRequest:
    """What an admin asked for: the text (HTML) and image, or a stored item, or a digest."""

    targets: tuple[str, ...] | None = None  # None: every active channel
    html: str = ""
    image: str | None = None
    item_id: int | None = None
    digest: bool = False
    run_at: datetime | None = None  # None: at once
    repeat: str = "once"
    zone: str | None = None  # the config's when None


@dataclass(frozen=True)
class DraftReady:
    """A checked draft, not stored yet: the preview goes out first (`preview` is what the
    channels will get now; for a digest, today's), then `save`."""

    draft: Draft
    preview: str
    channels: int  # how many active channels get it when it has no targets
    pauses: list[Pause] = field(default_factory=list)  # pauses holding its channels' posts


class Confirm(enum.Enum):
    EXPIRED = "expired"  # still a draft, but older than CONFIRM_TTL
    GONE = "gone"  # sent, cancelled or unknown


@dataclass(frozen=True)
class Queued:
    """Sent at once: `count` deliveries queued (None: it was already sent)."""

    broadcast: Broadcast
    count: int | None


@dataclass(frozen=True)
class Scheduled:
    broadcast: Broadcast


def check_content(html: str, image: str | None) -> DraftRefused | None:
    """A message or caption Telegram will take."""
    if not html.strip():
        return DraftRefused(DraftProblem.EMPTY)
    limit = MAX_CAPTION if image else MAX_TEXT
    return DraftRefused(DraftProblem.TOO_LONG, limit=limit) if len(html) > limit else None


class BroadcastService:
    def __init__(
        self,
        store: Store,
        admins: Admins,
        audit: Audit,
        runs: BroadcastRuns,
        notifier: AdminNotifier,
        *,
        language: str,
        timezone: str,
        clock: Clock = utc_now,
    ) -> None:
        self.store, self.admins, self.audit, self.runs = store, admins, audit, runs
        self.notifier, self.language, self.timezone, self.clock = (
            notifier,
            language,
            timezone,
            clock,
        )
        self.timer: Timer = NoTimer()  # the app attaches its scheduler

    # --- drafts ------------------------------------------------------------------------

    async def prepare(self, request: DraftRequest, by: Actor) -> DraftReady | DraftRefused | Denied:
        """Check what an admin asked to broadcast: its channels, its item, its length."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        channels = await asyncio.to_thread(self.store.channel_list)
        active = {c.chat_id for c in channels if c.active}
        if request.targets is not None:
            unknown = tuple(t for t in request.targets if t not in active)
            if unknown or not request.targets:
                return DraftRefused(DraftProblem.UNKNOWN_TARGETS, unknown=unknown)
        html, image, content = request.html, request.image, "text"
        if request.digest:
            html, image, content = "", None, "digest"
        elif request.item_id is not None:
            found = await asyncio.to_thread(self.store.item_post, request.item_id)
            if found is None:
                return DraftRefused(DraftProblem.UNKNOWN_ITEM)
            post_html, stored_image, caption = found
            html, image = (caption, stored_image) if stored_image and caption else (post_html, None)
        elif problem := check_content(html, image):
            return problem
        draft = Draft(
            html=html,
            image=image,
            targets=request.targets,
            run_at=request.run_at,
            repeat=request.repeat,
            content=content,
            timezone=request.zone or self.timezone,
            created_by=by.user_id,
            created_by_name=by.name,
            created_in=by.chat_id or by.user_id,
        )
        preview = await self.runs.digest(draft.repeat, self.clock()) if request.digest else html
        pauses = await asyncio.to_thread(self.store.active_pauses, self.clock())
        return DraftReady(draft, preview, len(active), touching(pauses, request.targets))

    async def save(self, draft: Draft, by: Actor) -> int | Denied:
        """Keep a draft until ✅ Kirim (or CONFIRM_TTL); returns its id."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        broadcast_id = await asyncio.to_thread(self.store.create_broadcast, draft, now=self.clock())
        await self.audit.record(by, "broadcast_draft", f"#{broadcast_id} {_summary(draft)}")
        return broadcast_id

    async def confirm(self, broadcast_id: int, by: Actor) -> Queued | Scheduled | Confirm | Denied:
        """✅ Kirim: sent at once, or its schedule set; once only, and only while fresh."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        made_after = self.clock() - CONFIRM_TTL
        confirmed = await asyncio.to_thread(
            self.store.confirm_broadcast, broadcast_id, made_after=made_after
        )
        if confirmed is None:
            found = await asyncio.to_thread(self.store.get_broadcast, broadcast_id)
            return (
                Confirm.EXPIRED if found is not None and found.status == "draft" else Confirm.GONE
            )
        await self.audit.record(by, "broadcast_confirm", f"#{broadcast_id}")
        if confirmed.draft.run_at is None:
            return Queued(confirmed, await self.runs.send_now(confirmed))
        self.timer.arrange(confirmed)
        return Scheduled(confirmed)

    async def cancel(
        self, broadcast_id: int, by: Actor, *, action: str = "broadcast_cancel"
    ) -> bool | Denied:
        """❌ Batal under a preview, or /batal of a schedule: False when there was nothing to
        cancel. `action` names it in the audit log."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        cancelled = await asyncio.to_thread(self.store.cancel_broadcast, broadcast_id)
        if cancelled:
            self.timer.forget(broadcast_id)
            await self.audit.record(by, action, f"#{broadcast_id}")
        return cancelled

    # --- schedules ---------------------------------------------------------------------

    async def pending(self, by: Actor) -> list[Broadcast] | Denied:
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        return await self.pending_schedules()

    async def pending_schedules(self) -> list[Broadcast]:
        return await asyncio.to_thread(self.store.pending_schedules)

    async def pause_schedules_of(self, user_id: int) -> list[int]:
        """Pause the pending schedules `user_id` set and tell the admins, with a button to take
        them over; returns the paused ids."""
        paused = await asyncio.to_thread(self.store.pause_schedules_of, user_id)
        if not paused:
            return []
        log.info("schedules paused user_id=%s broadcasts=%s", user_id, paused)
        text = i18n.text(
            "admin_removed_schedules",
            self.language,
            id=user_id,
            count=len(paused),
            ids=", ".join(f"#{b}" for b in paused[:50]) + (" …" if len(paused) > 50 else ""),
        )
        label = i18n.text("button_take_over", self.language)
        await self.notifier.send(Post(html=text, buttons=((label, take_over_data(user_id)),)))
        return paused

    async def pause_orphan_schedules(self) -> list[int]:
        """At start: schedules set by someone no longer an admin (taken out of the config, or
        removed by another instance) are paused like those of a removed admin."""
        admins = await self.admins.ids()
        pending = await self.pending_schedules()
        paused: list[int] = []
        for user_id in sorted({b.draft.created_by for b in pending} - admins):
            paused += await self.pause_schedules_of(user_id)
        return paused

    async def take_over(self, from_user: int, by: Actor) -> list[Broadcast] | Denied:
        """A removed admin's paused schedules run again in the name of the admin `by`."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        taken = await asyncio.to_thread(
            self.store.take_over_schedules, from_user, by=by.user_id, by_name=by.name
        )
        for broadcast in taken:
            self.timer.arrange(broadcast)
        if taken:
            ids = ", ".join(f"#{b.id}" for b in taken)
            await self.audit.record(by, "schedules_take_over", f"from={from_user} {ids}")
        return taken


def _summary(draft: Draft) -> str:
    when = draft.run_at.isoformat() if draft.run_at else "now"
    targets = ",".join(draft.targets) if draft.targets else "all"
    return f"{draft.content} {draft.repeat} at={when} to={targets} text={draft.html[:200]!r}"
