"""The accountability record (`humasbot audit`, the panel's Riwayat): every admin action,
delivery, review, pause, retraction and correction, filtered by time, person and kind, and
exported with local times; and its retention, the forgetting of who people were once
`retention.personal_data` has passed (UU PDP 27/2022).

Days are days in the configured timezone: "from 1 February" starts at midnight there.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services.base import Actor, Admins, Audit, Clock, Denied, utc_now
from bot.storage import Store
from bot.storage.audit import Record

log = logging.getLogger(__name__)

KINDS = ("admin", "delivery", "review", "pause", "retraction", "correction")
FIELDS = list(Record.FIELDS)  # the columns of an export, in order


@dataclass(frozen=True)
class HistoryQuery:
    """Which records: a day counts whole in the configured timezone (`until` a day: to its
    end), a moment counts from or before itself (a naive one is read in that timezone).
    `actor`: a part of who acted, in any case; `kind`: one of KINDS, "" for every kind."""

    since: date | datetime | None = None
    until: date | datetime | None = None
    actor: str = ""
    kind: str = ""


@dataclass(frozen=True)
class Retained:
    """What one application of the retention changed, in records older than `cutoff`."""

    cutoff: datetime
    days: int  # retention.personal_data
    audit: int  # admin actions that forgot who acted
    delivery_log: int  # log entries that forgot a private chat
    subscribers: int  # readers' chats gone since then, deleted

    @property
    def changed(self) -> bool:
        return bool(self.audit or self.delivery_log or self.subscribers)


class HistoryService:
    def __init__(
        self,
        store: Store,
        admins: Admins,
        audit: Audit,
        *,
        timezone: str,
        retention: timedelta,
        clock: Clock = utc_now,
    ) -> None:
        self.store, self.admins, self.audit = store, admins, audit
        self.zone, self.retention, self.clock = ZoneInfo(timezone), retention, clock

    def today(self) -> date:
        """Today in the configured timezone."""
        return self.clock().astimezone(self.zone).date()

    async def records(self, query: HistoryQuery, by: Actor) -> list[Record] | Denied:
        """The records matching `query`, oldest first."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        since, until = self._moment(query.since), self._moment(query.until, end=True)
        found = await asyncio.to_thread(self.store.records, since)
        person = query.actor.strip().lower()
        return [
            record
            for record in found
            if (until is None or record.at < until)
            and (not query.kind or record.kind == query.kind)
            and (not person or person in record.actor.lower())
        ]

    async def export(self, query: HistoryQuery, by: Actor) -> list[dict[str, object]] | Denied:
        """The matching records as rows of FIELDS, their times ISO 8601 in the configured
        timezone to the second (CSV and JSON alike)."""
        found = await self.records(query, by)
        if isinstance(found, Denied):
            return found
        return [self.row(record) for record in found]

    def row(self, record: Record) -> dict[str, object]:
        row: dict[str, object] = asdict(record)
        row["at"] = record.at.astimezone(self.zone).isoformat(timespec="seconds")
        return row

    async def apply_retention(self, by: Actor) -> Retained | Denied:
        """Forget who people were in records older than retention.personal_data; recorded in
        the audit log when it changed anything."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        cutoff = self.clock() - self.retention
        counts = await asyncio.to_thread(self.store.apply_retention, cutoff)
        done = Retained(cutoff, self.retention.days, **counts)
        log.info(
            "retention applied audit=%s delivery_log=%s subscribers=%s",
            done.audit,
            done.delivery_log,
            done.subscribers,
        )
        if done.changed:
            detail = (
                f"before={cutoff.isoformat(timespec='seconds')} audit={done.audit} "
                f"delivery_log={done.delivery_log} subscribers={done.subscribers}"
            )
            await self.audit.record(by, "retention", detail)
        return done

    def _moment(self, value: date | datetime | None, *, end: bool = False) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=self.zone)
        day = value + timedelta(days=1) if end else value
        return datetime.combine(day, time(), self.zone)
