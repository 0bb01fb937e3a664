"""Riwayat: the audit record filtered by date, person and kind, downloaded as CSV or JSON; and a
post's page, where Tarik and Koreksi ask for the same confirmation as in the bot."""

from __future__ import annotations

import asyncio
import io
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from starlette.responses import Response

from bot.export import write_csv
from bot.panel.web import HEADERS, Page
from bot.storage.audit import Record

SHOWN = 300  # rows on the page; the downloads have them all
DEFAULT_DAYS = 7
KINDS = ("admin", "delivery", "review", "pause", "retraction", "correction")
FIELDS = list(Record.FIELDS)


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    person: str
    kind: str

    def query(self) -> str:
        return (
            f"dari={self.start.isoformat()}&sampai={self.end.isoformat()}"
            f"&orang={self.person}&jenis={self.kind}"
        )


def filters(params: dict[str, str], today: date) -> Filters:
    def day(name: str, default: date) -> date:
        try:
            return date.fromisoformat(params.get(name, ""))
        except ValueError:
            return default

    end = day("sampai", today)
    start = day("dari", end - timedelta(days=DEFAULT_DAYS))
    kind = params.get("jenis", "")
    return Filters(
        min(start, end), end, params.get("orang", "").strip()[:100], kind if kind in KINDS else ""
    )


async def matching(page: Page) -> tuple[Filters, list[Record]]:
    zone = ZoneInfo(page.desk.services.config.timezone)
    chosen = filters(dict(page.request.query_params), page.desk.clock().astimezone(zone).date())
    since = datetime.combine(chosen.start, time(), zone)
    until = datetime.combine(chosen.end + timedelta(days=1), time(), zone)
    records = await asyncio.to_thread(page.desk.services.store.records, since)
    person = chosen.person.lower()
    return chosen, [
        r
        for r in records
        if r.at < until
        and (not chosen.kind or r.kind == chosen.kind)
        and (not person or person in r.actor.lower())
    ]


async def history_page(page: Page) -> Response:
    chosen, records = await matching(page)
    return page.render(
        "history.html",
        filters=chosen,
        kinds=KINDS,
        records=list(reversed(records))[:SHOWN],
        count=len(records),
    )


def _rows(page: Page, records: list[Record]) -> list[dict[str, object]]:
    zone = ZoneInfo(page.desk.services.config.timezone)
    rows = []
    for record in records:
        row = asdict(record)
        row["at"] = record.at.astimezone(zone).isoformat(timespec="seconds")
        rows.append(row)
    return rows


async def download_csv(page: Page) -> Response:
    chosen, records = await matching(page)
    out = io.StringIO()
    write_csv(_rows(page, records), FIELDS, out)
    name = f"riwayat-{chosen.start.isoformat()}-{chosen.end.isoformat()}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )


async def download_json(page: Page) -> Response:
    chosen, records = await matching(page)
    name = f"riwayat-{chosen.start.isoformat()}-{chosen.end.isoformat()}.json"
    body = json.dumps(_rows(page, records), ensure_ascii=False, indent=1)
    return Response(
        body,
        media_type="application/json",
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )
