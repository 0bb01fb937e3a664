"""Riwayat: the accountability record filtered by date, person and kind, downloaded as CSV or
JSON (bot.services.history: the days are the configured timezone's)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, timedelta

from starlette.responses import Response

from bot.export import write_csv
from bot.panel.desk import panel_actor
from bot.panel.web import HEADERS, Page
from bot.services.base import Denied
from bot.services.history import FIELDS, KINDS, HistoryQuery

SHOWN = 300  # rows on the page; the downloads have them all
DEFAULT_DAYS = 7


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

    def history(self) -> HistoryQuery:
        return HistoryQuery(since=self.start, until=self.end, actor=self.person, kind=self.kind)


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


def chosen(page: Page) -> Filters:
    return filters(dict(page.request.query_params), page.desk.services.history.today())


async def history_page(page: Page) -> Response:
    wanted = chosen(page)
    records = await page.desk.services.history.records(wanted.history(), panel_actor(page.session))
    if isinstance(records, Denied):
        return page.render("message.html", status=403, key="not_admin")
    return page.render(
        "history.html",
        filters=wanted,
        kinds=KINDS,
        records=list(reversed(records))[:SHOWN],  # newest first
        count=len(records),
    )


async def download_csv(page: Page) -> Response:
    return await _download(page, "csv", "text/csv; charset=utf-8")


async def download_json(page: Page) -> Response:
    return await _download(page, "json", "application/json")


async def _download(page: Page, kind: str, media_type: str) -> Response:
    wanted = chosen(page)
    rows = await page.desk.services.history.export(wanted.history(), panel_actor(page.session))
    if isinstance(rows, Denied):
        return page.render("message.html", status=403, key="not_admin")
    if kind == "csv":
        out = io.StringIO()
        write_csv(rows, FIELDS, out)
        body = out.getvalue()
    else:
        body = json.dumps(rows, ensure_ascii=False, indent=1)
    name = f"riwayat-{wanted.start.isoformat()}-{wanted.end.isoformat()}.{kind}"
    return Response(
        body,
        media_type=media_type,
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )
