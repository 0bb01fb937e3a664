"""Ringkasan: posts per day (14 days), deliveries by outcome, the outbox, failing feeds, the next
schedules and the pauses in force."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from starlette.responses import Response

from bot.panel import charts
from bot.panel.web import Page

DAYS = 14
POSTS_READ = 5000  # published posts read for the chart (14 days of a busy desk)
SCHEDULES_SHOWN = 5
OUTCOMES = ("sent", "pending", "failed", "review", "rejected", "expired", "retracted")


def per_day(times: list[datetime], now: datetime, zone: str, lang: str) -> list[tuple[str, int]]:
    """(label, count) for each of the last DAYS local days, oldest first, today last."""
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    counts = Counter(t.astimezone(tz).date() for t in times)
    days = [today - timedelta(days=back) for back in range(DAYS - 1, -1, -1)]
    return [(format_date(day, "d/M", locale=lang), counts.get(day, 0)) for day in days]


def outcome_totals(by_chat: dict[str, dict[str, int]]) -> dict[str, int]:
    totals: Counter[str] = Counter()
    for statuses in by_chat.values():
        for status, count in statuses.items():
            totals["pending" if status == "sending" else status] += count
    return dict(totals)


async def overview(page: Page) -> Response:
    services, now = page.desk.services, page.desk.clock()
    store, zone = services.store, services.config.timezone
    posts = await services.search.published(since=now - timedelta(days=DAYS), limit=POSTS_READ)
    totals = outcome_totals(await asyncio.to_thread(store.delivery_counts))
    feeds = await asyncio.to_thread(store.feed_health)
    schedules = await services.broadcasts.pending_schedules()
    schedules.sort(key=lambda b: b.draft.run_at or now)
    pauses = await services.editorial.pauses()
    days = per_day([p.time for p in posts], now, zone, page.lang)
    shown = [code for code in OUTCOMES if totals.get(code)] or ["sent"]
    shown += sorted(code for code in totals if code not in shown and code != "sending")
    outcomes = [(code, page.label("panel_outcome", code), totals.get(code, 0)) for code in shown]
    return page.render(
        "overview.html",
        posts_chart=charts.day_bars(days, page.t("panel_posts_per_day")),
        posts_total=sum(count for _, count in days),
        outcomes_chart=charts.outcome_bars(outcomes, page.t("panel_deliveries_by_outcome")),
        pending=await asyncio.to_thread(store.outbox_pending),
        failed=totals.get("failed", 0),
        failing=[f for f in feeds if f.status not in ("ok", "disabled")],
        schedules=schedules[:SCHEDULES_SHOWN],
        pauses=pauses,
    )
