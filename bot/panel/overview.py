"""Ringkasan: posts per day (14 days), deliveries by outcome, the outbox, failing feeds, the next
schedules and the pauses in force (the figures are bot.services.status's overview)."""

from __future__ import annotations

from babel.dates import format_date
from starlette.responses import Response

from bot.panel import charts
from bot.panel.desk import panel_actor
from bot.panel.web import Page
from bot.services.base import Denied

DAYS = 14
SCHEDULES_SHOWN = 5
OUTCOMES = ("sent", "pending", "failed", "review", "rejected", "expired", "retracted")


async def overview(page: Page) -> Response:
    found = await page.desk.services.status.overview(
        panel_actor(page.session), days=DAYS, schedules=SCHEDULES_SHOWN
    )
    if isinstance(found, Denied):
        return page.render("message.html", status=403, key="not_admin")
    days = [(format_date(day, "d/M", locale=page.lang), n) for day, n in found.posts_per_day]
    totals = found.outcomes
    shown = [code for code in OUTCOMES if totals.get(code)] or ["sent"]
    shown += sorted(code for code in totals if code not in shown)
    outcomes = [(code, page.label("panel_outcome", code), totals.get(code, 0)) for code in shown]
    return page.render(
        "overview.html",
        posts_chart=charts.day_bars(days, page.t("panel_posts_per_day")),
        posts_total=sum(count for _, count in days),
        outcomes_chart=charts.outcome_bars(outcomes, page.t("panel_deliveries_by_outcome")),
        pending=found.pending,
        failed=found.failed,
        failing=found.failing_feeds,
        schedules=found.schedules,
        pauses=found.pauses,
    )
