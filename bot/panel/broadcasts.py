"""Siaran: write a broadcast with a live preview, pick channels, send now or at a time (WIB, WITA
or WIT), see and cancel pending schedules.

The form is the preview and the confirmation at once: what is shown beside the text is what
goes, and Kirim is the bot's ✅ Kirim. The broadcast service checks, stores, confirms and
records it (draft, confirmation, cancellation) as it does for the bot."""

from __future__ import annotations

import html
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from starlette.responses import Response

from bot.panel.desk import panel_actor
from bot.panel.web import Page
from bot.services.base import Denied
from bot.services.broadcasts import (
    MAX_TEXT,
    DraftProblem,
    DraftReady,
    DraftRefused,
    DraftRequest,
    Queued,
    Scheduled,
)

ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
REPEATS = ("once", "daily", "weekly")
REFUSALS = {
    DraftProblem.EMPTY: "panel_broadcast_empty",
    DraftProblem.TOO_LONG: "panel_broadcast_too_long",
    DraftProblem.UNKNOWN_TARGETS: "panel_broadcast_no_channels",
    DraftProblem.UNKNOWN_ITEM: "panel_broadcast_empty",
}


class Refused(Exception):
    """The form cannot be sent as it is: the catalogue key saying why."""


def zone_code(zone: str) -> str:
    return next((code for code, name in ZONES.items() if name == zone), "WITA")


async def broadcast_page(page: Page, *, refused: str = "", status: int = 200) -> Response:
    services = page.desk.services
    channels = await services.channels.active()
    schedules = await services.broadcasts.pending_schedules()
    schedules.sort(key=lambda b: b.draft.run_at or page.desk.clock())
    return page.render(
        "broadcast.html",
        paused=await paused_chats(page),
        status=status,
        channels=channels,
        schedules=schedules,
        zones=list(ZONES),
        default_zone=zone_code(services.config.timezone),
        repeats=REPEATS,
        refused=refused,
        form=page.form,
        chosen=set(page.lists.get("ke", [])),
        done=page.request.query_params.get("selesai", ""),
        done_id=page.request.query_params.get("id", ""),
        max_text=MAX_TEXT,
    )


async def paused_chats(page: Page) -> str:
    """The chats whose automatic posts are held now ("" when none): a broadcast still goes."""
    pauses = await page.desk.services.editorial.pauses()
    names = await page.desk.services.channels.names()
    every = page.t("panel_all_channels")
    return "; ".join(
        every if p.chats is None else ", ".join(names.get(c, c) for c in sorted(p.chats))
        for p in pauses
    )


def run_at(form: dict[str, str], now: datetime) -> tuple[datetime | None, str, str | None]:
    """(when, repeat, zone) from the form: None for now; Refused when unreadable or past."""
    if form.get("kapan") != "jadwal":
        return None, "once", None
    zone, repeat = ZONES.get(form.get("zona", ""), ""), form.get("ulang", "once")
    if not zone or repeat not in REPEATS:
        raise Refused("panel_broadcast_bad_time")
    try:
        day = date.fromisoformat(form.get("tanggal", ""))
        clock = time.fromisoformat(form.get("jam", ""))
    except ValueError:
        raise Refused("panel_broadcast_bad_time") from None
    moment = datetime.combine(day, clock.replace(microsecond=0), ZoneInfo(zone))
    if moment <= now:
        raise Refused("panel_broadcast_past")
    return moment, repeat, zone


def targets(page: Page, active: set[str]) -> tuple[str, ...] | None:
    """The channels ticked; None (every active channel) when all of them are."""
    chosen = tuple(dict.fromkeys(page.lists.get("ke", [])))
    if not chosen:
        raise Refused("panel_broadcast_no_channels")
    return None if set(chosen) == active else chosen


async def send(page: Page) -> Response:
    """POST /panel/siaran: checked, stored, confirmed, and queued now or at its time."""
    services, actor = page.desk.services, panel_actor(page.session)
    active = {c.chat_id for c in await services.channels.active()}
    text = page.form.get("teks", "").strip()
    digest = page.form.get("isi") == "ringkasan"  # the last day's (weekly: week's) posts
    try:
        when, repeat, zone = run_at(page.form, page.desk.clock())
        request = DraftRequest(
            targets=targets(page, active),
            html="" if digest else html.escape(text, quote=False),
            digest=digest,
            run_at=when,
            repeat=repeat,
            zone=zone,
        )
    except Refused as refusal:
        return await broadcast_page(page, refused=str(refusal), status=400)
    ready = await services.broadcasts.prepare(request, actor)
    if isinstance(ready, DraftRefused):
        return await broadcast_page(page, refused=REFUSALS[ready.problem], status=400)
    if not isinstance(ready, DraftReady):
        return page.render("message.html", status=403, key="not_admin")
    broadcast_id = await services.broadcasts.save(ready.draft, actor)
    if isinstance(broadcast_id, Denied):
        return page.render("message.html", status=403, key="not_admin")
    confirmed = await services.broadcasts.confirm(broadcast_id, actor)
    outcome = {Queued: "sent", Scheduled: "scheduled"}.get(type(confirmed), "gone")
    return page.go("/panel/siaran", selesai=outcome, id=broadcast_id)


async def cancel(page: Page) -> Response:
    """POST /panel/siaran/{id}/batal: a pending schedule is cancelled (as /batal)."""
    broadcast_id = int(page.request.path_params["broadcast_id"])
    cancelled = await page.desk.services.broadcasts.cancel(
        broadcast_id, panel_actor(page.session), action="schedule_cancel"
    )
    outcome = "cancelled" if cancelled is True else "gone"
    return page.go("/panel/siaran", selesai=outcome, id=broadcast_id)
