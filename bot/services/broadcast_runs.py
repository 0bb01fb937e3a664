"""A broadcast's runs: sent at once after ✅ Kirim, or at its schedule's time (`fire`, called by
the JobQueue side, bot.broadcast.scheduler, which only keeps time); the digest a `ringkasan`
schedule sends; how a run's deliveries stand.

Every run is a compare-and-set in the store, so a schedule never fires twice, whoever calls
`fire`: a run later than `grace` is missed (its admin told), a run later than LATE_NOTE_AFTER
carries a note saying when it was due."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from bot import i18n
from bot.broadcast.digest import digest_html, digest_period
from bot.broadcast.when import next_run
from bot.dates import format_when
from bot.deliver.pacer import Pacer
from bot.deliver.sink import Sink
from bot.models import Post
from bot.notify import AdminNotifier
from bot.services.base import Clock, Wakeup, utc_now
from bot.services.search import SearchService
from bot.storage import Store
from bot.storage.broadcasts import Broadcast, Progress

log = logging.getLogger(__name__)

LATE_NOTE_AFTER = timedelta(minutes=1)  # later than this, a run carries a note
DIGEST_POSTS = 50


class BroadcastRuns:
    def __init__(
        self,
        store: Store,
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
        self.store, self.wakeup, self.search, self.notifier = store, wakeup, search, notifier
        self.sink, self.pacer = sink, pacer
        self.language, self.timezone, self.grace, self.clock = language, timezone, grace, clock

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
