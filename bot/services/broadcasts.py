"""Broadcasts and schedules: an admin's draft (/siarkan, /jadwal) checked and kept until ✅ Kirim,
then sent at once or at its time; the pending schedules (/daftarjadwal, /batal); the schedules of
a removed admin paused and taken over; and each run of a schedule (the JobQueue side is
bot.broadcast.scheduler, which only keeps time).

Every run is a compare-and-set in the store, so a schedule never fires twice, whoever calls
`fire`."""

from __future__ import annotations

import asyncio
import enum
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot import i18n
from bot.broadcast.digest import digest_html, digest_period
from bot.broadcast.when import next_run
from bot.dates import format_when
from bot.deliver.pacer import Pacer
from bot.deliver.sink import Sink
from bot.editorial.pause import Pause, touching
from bot.models import Post
from bot.notify import AdminNotifier
from bot.services.base import Actor, Admins, Audit, Clock, Denied, Wakeup, utc_now
from bot.services.search import SearchService
from bot.storage import Store
from bot.storage.broadcasts import Broadcast, Draft, Progress
from bot.storage.confirmations import CONFIRM_TTL as CONFIRM_TTL  # how long a draft waits

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram's limit on a message
MAX_CAPTION = 1024  # and on a photo's caption
LATE_NOTE_AFTER = timedelta(minutes=1)  # later than this, a run carries a note
DIGEST_POSTS = 50
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
        wakeup: Wakeup,
        search: SearchService,
        notifier: AdminNotifier,
        sink: Sink,
        pacer: Pacer,
        *,
        language: str,
        timezone: str,
        grace: timedelta,
        clock: Clock = utc_now,
    ) -> None:
        self.store, self.admins, self.audit, self.wakeup = store, admins, audit, wakeup
        self.search, self.notifier, self.sink, self.pacer = search, notifier, sink, pacer
        self.language, self.timezone, self.grace, self.clock = language, timezone, grace, clock
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
        preview = await self.digest(draft.repeat, self.clock()) if request.digest else html
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
            return Queued(confirmed, await self.send_now(confirmed))
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

    # --- runs --------------------------------------------------------------------------

    async def send_now(self, broadcast: Broadcast) -> int | None:
        """A confirmed /siarkan: queue its deliveries at once."""
        return await self._queue(broadcast, expected=None, now=self.clock(), note=None)

    async def fire(self, broadcast_id: int, expected: datetime) -> Broadcast | None:
        """Run a schedule due at `expected` (late within the grace, else missed and its admin
        told); returns it when it runs again later (to be arranged), else None."""
        broadcast = await asyncio.to_thread(self.store.get_broadcast, broadcast_id)
        if broadcast is None or broadcast.status != "pending" or broadcast.draft.run_at != expected:
            return None
        draft, now = broadcast.draft, self.clock()
        upcoming = next_run(expected, draft.repeat, draft.timezone, now)
        when = format_when(expected, draft.timezone, self.language)
        if now - expected > self.grace:
            skipped = await asyncio.to_thread(
                self.store.skip_run, broadcast_id, expected_run_at=expected, next_run_at=upcoming
            )
            if skipped:
                log.warning("schedule missed broadcast_id=%s run_at=%s", broadcast_id, expected)
                await self._tell(draft.created_by, "schedule_missed", id=broadcast_id, when=when)
        else:
            note = when if now - expected > LATE_NOTE_AFTER else None
            queued = await self._queue(broadcast, expected=expected, now=now, note=note)
            if queued is not None and note:
                await self._tell(draft.created_by, "schedule_sent_late", id=broadcast_id, when=when)
        if not upcoming:
            return None
        refreshed = await asyncio.to_thread(self.store.get_broadcast, broadcast_id)
        return refreshed if refreshed and refreshed.status == "pending" else None

    async def digest(self, repeat: str, now: datetime) -> str:
        """The digest a `ringkasan` schedule sends now."""
        posts = await self.search.published(since=now - digest_period(repeat), limit=DIGEST_POSTS)
        return digest_html(
            posts, repeat=repeat, now=now, zone=self.timezone, language=self.language
        )

    async def progress(self, broadcast_id: int) -> tuple[int, Progress] | None:
        """How the latest run of a broadcast stands: (its item id, progress)."""
        item_id = await asyncio.to_thread(self.store.latest_run_item, broadcast_id)
        if item_id is None:
            return None
        return item_id, await self.item_progress(item_id)

    async def item_progress(self, item_id: int) -> Progress:
        return await asyncio.to_thread(self.store.item_progress, item_id)

    async def _queue(
        self, broadcast: Broadcast, *, expected: datetime | None, now: datetime, note: str | None
    ) -> int | None:
        draft = broadcast.draft
        html = await self.digest(draft.repeat, now) if draft.content == "digest" else draft.html
        if note:
            html += "\n\n" + i18n.text("late_note", self.language, when=note)
        upcoming = next_run(expected, draft.repeat, draft.timezone, now) if expected else None
        queued = await asyncio.to_thread(
            self.store.run_broadcast,
            broadcast.id,
            expected_run_at=expected,
            html=html,
            image=draft.image,
            now=now,
            next_run_at=upcoming,
        )
        if queued is not None:
            log.info("broadcast queued broadcast_id=%s deliveries=%s", broadcast.id, queued)
            self.wakeup()
        return queued

    async def _tell(self, user_id: int, key: str, **fields: Any) -> None:
        """Tell the admin who set the schedule, in private; the admin chat when that fails."""
        text = i18n.text(key, self.language, **fields)
        await self.pacer.acquire(user_id)
        outcome = await self.sink.send(user_id, Post(html=text))
        if outcome.status != "sent":
            await self.notifier.notify(key, **fields)


def _summary(draft: Draft) -> str:
    when = draft.run_at.isoformat() if draft.run_at else "now"
    targets = ",".join(draft.targets) if draft.targets else "all"
    return f"{draft.content} {draft.repeat} at={when} to={targets} text={draft.html[:200]!r}"
