"""Siaran: write a broadcast with a live preview, pick channels, send now or at a time (WIB, WITA
or WIT), see and cancel pending schedules.

The panel's form is the preview and the confirmation at once: what is shown beside the text is
what goes, and Kirim is the ✅ Kirim of the bot. Drafts, confirmations and cancellations are
recorded as the bot records them."""

from __future__ import annotations

import asyncio
import html
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from starlette.responses import Response

from bot.broadcast.compose import MAX_TEXT
from bot.panel.desk import panel_actor, via_panel
from bot.panel.web import Page
from bot.storage.bot_views import Draft
from bot.storage.confirmations import CONFIRM_TTL

ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
REPEATS = ("once", "daily", "weekly")


class Refused(Exception):
    """The form cannot be sent as it is: the catalogue key saying why."""


def zone_code(zone: str) -> str:
    return next((code for code, name in ZONES.items() if name == zone), "WITA")


async def broadcast_page(page: Page, *, refused: str = "", status: int = 200) -> Response:
    services = page.desk.services
    channels = [c for c in await asyncio.to_thread(services.store.channel_list) if c.active]
    schedules = await asyncio.to_thread(services.store.pending_schedules)
    schedules.sort(key=lambda b: b.draft.run_at or page.desk.clock())
    return page.render(
        "broadcast.html",
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


def run_at(form: dict[str, str], now: datetime) -> tuple[datetime | None, str, str]:
    """(when, repeat, zone) from the form: None for now; Refused when unreadable or past."""
    zone = ZONES.get(form.get("zona", ""), "")
    if form.get("kapan") != "jadwal":
        return None, "once", zone or "Asia/Makassar"
    repeat = form.get("ulang", "once")
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


async def targets(page: Page) -> tuple[str, ...] | None:
    """The channels ticked (None: every active channel); Refused for one not active."""
    chosen = page.lists.get("ke", [])
    active = {
        c.chat_id
        for c in await asyncio.to_thread(page.desk.services.store.channel_list)
        if c.active
    }
    if page.form.get("semua") == "1" or (chosen and set(chosen) == active):
        return None
    if not chosen or not set(chosen) <= active:
        raise Refused("panel_broadcast_no_channels")
    return tuple(chosen)


async def send(page: Page) -> Response:
    """POST /panel/siaran: store the draft, confirm it, and queue it now or at its time."""
    desk, session = page.desk, page.session
    text = page.form.get("teks", "").strip()
    try:
        if not text:
            raise Refused("panel_broadcast_empty")
        body = html.escape(text, quote=False)
        if len(body) > MAX_TEXT:
            raise Refused("panel_broadcast_too_long")
        when, repeat, zone = run_at(page.form, desk.clock())
        chats = await targets(page)
    except Refused as refusal:
        return await broadcast_page(page, refused=str(refusal), status=400)
    draft = Draft(
        html=body,
        image=None,
        targets=chats,
        run_at=when,
        repeat=repeat,
        content="text",
        timezone=zone,
        created_by=session.user_id,
        created_by_name=via_panel(session.user_name, session.user_id),
        created_in=session.user_id,
    )
    broadcast_id = await _confirmed(page, draft)
    return page.go("/panel/siaran", selesai="scheduled" if when else "sent", id=broadcast_id)


async def _confirmed(page: Page, draft: Draft) -> int:
    desk = page.desk
    store, now = desk.services.store, desk.clock()
    broadcast_id = await asyncio.to_thread(store.create_broadcast, draft, now=now)
    when = draft.run_at.isoformat() if draft.run_at else "now"
    to = ",".join(draft.targets) if draft.targets else "all"
    summary = f"#{broadcast_id} text {draft.repeat} at={when} to={to} text={draft.html[:200]!r}"
    await _audit(page, "broadcast_draft", summary)
    confirmed = await asyncio.to_thread(
        store.confirm_broadcast, broadcast_id, made_after=now - CONFIRM_TTL
    )
    assert confirmed is not None, "a draft confirmed at once is never too old"
    await _audit(page, "broadcast_confirm", f"#{broadcast_id}")
    if draft.run_at is None:
        await desk.scheduler.send_now(confirmed)
    else:
        desk.scheduler.arrange(confirmed)
    return broadcast_id


async def cancel(page: Page) -> Response:
    """POST /panel/siaran/{id}/batal: a pending schedule is cancelled (as /batal)."""
    broadcast_id = int(page.request.path_params["broadcast_id"])
    store = page.desk.services.store
    cancelled = await asyncio.to_thread(store.cancel_broadcast, broadcast_id)
    if cancelled:
        page.desk.scheduler.forget(broadcast_id)
        await _audit(page, "schedule_cancel", f"#{broadcast_id}")
    return page.go("/panel/siaran", selesai="cancelled" if cancelled else "gone", id=broadcast_id)


async def _audit(page: Page, action: str, detail: str) -> None:
    actor = panel_actor(page.session)
    await asyncio.to_thread(
        page.desk.services.store.record_audit,
        user_id=actor.user_id,
        user_name=actor.name,
        chat_id=None,
        action=action,
        detail=detail,
        now=page.desk.clock(),
    )
