"""A post's page: the post, where it went, and Tarik / Koreksi with the bot's confirmation.

As in the bot, asking to take back or correct a post only shows what will happen (the channels
it reached, the corrected text) and stores a confirmation, used once, for a day; the action runs
on ✅ and is reported per channel. Requests, cancellations and results go to the audit log."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from starlette.responses import Response

from bot.broadcast.compose import MAX_TEXT
from bot.editorial.actions import DELETED, EDITED
from bot.panel.broadcasts import _audit
from bot.panel.desk import panel_actor
from bot.panel.web import Page
from bot.storage.confirmations import CONFIRM_TTL

RETRACT, CORRECT = "tr", "kr"  # the bot's confirmation kinds: the same confirmation
WORKED = (DELETED, EDITED)


async def _names(page: Page) -> dict[str, str]:
    channels = await asyncio.to_thread(page.desk.services.store.channel_list)
    return {c.chat_id: c.name or c.chat_id for c in channels}


async def post_page(page: Page, *, status: int = 200, note: str = "") -> Response:
    item_id = int(page.request.path_params["item_id"])
    reach = await page.desk.services.editorial.reach(item_id)
    if reach is None:
        return page.render("message.html", status=404, key="panel_post_unknown")
    names = await _names(page)
    return page.render(
        "post.html",
        status=status,
        reach=reach,
        chats=[(c, names.get(c, c)) for c in reach.chat_ids],
        note=note,
        text=page.form.get("teks", ""),
        max_text=MAX_TEXT,
    )


async def ask(page: Page) -> Response:
    """POST /panel/pos/{id}/tarik or /koreksi: the confirmation page (nothing changes yet)."""
    item_id = int(page.request.path_params["item_id"])
    kind = RETRACT if page.request.path_params["verb"] == "tarik" else CORRECT
    editorial = page.desk.services.editorial
    reach = await editorial.reach(item_id)
    if reach is None:
        return page.render("message.html", status=404, key="panel_post_unknown")
    text = page.form.get("teks", "").strip()
    preview = ""
    if kind == CORRECT:
        preview = editorial.correction_html(text, page.desk.clock())
        if not text or len(preview) > MAX_TEXT:
            return await post_page(page, status=400, note=page.t("panel_correct_bad"))
    token = await asyncio.to_thread(
        page.desk.services.store.await_press,
        kind,
        page.session.user_id,
        {"item_id": item_id, "text": text},
        now=page.desk.clock(),
    )
    if kind == RETRACT:
        await _audit(page, "retract_request", f"item=#{item_id} reached={len(reach.messages)}")
    else:
        await _audit(page, "correct_request", f"item=#{item_id} text={text[:300]!r}")
    names = await _names(page)
    return page.render(
        "confirm.html",
        kind=kind,
        token=token,
        reach=reach,
        chats=[(c, names.get(c, c)) for c in reach.chat_ids],
        preview=preview,
        hours=int(CONFIRM_TTL / timedelta(hours=1)),
    )


async def confirm(page: Page) -> Response:
    """POST /panel/konfirmasi/{kind}/{token} (jawab=ya|batal): the ✅ or ❌ of the bot."""
    kind, token = page.request.path_params["kind"], page.request.path_params["token"]
    if kind not in (RETRACT, CORRECT):
        return page.render("message.html", status=404, key="panel_confirm_gone")
    found = await asyncio.to_thread(
        page.desk.services.store.take_press,
        token,
        kind,
        page.session.user_id,
        now=page.desk.clock(),
    )
    if found.state != "ok":
        return page.render("message.html", status=409, key="panel_confirm_gone")
    item_id, text = int(found.payload["item_id"]), str(found.payload.get("text", ""))
    name = "retract" if kind == RETRACT else "correct"
    if page.form.get("jawab") != "ya":
        await _audit(page, f"{name}_cancel", f"item=#{item_id}")
        return page.render("message.html", key="panel_action_cancelled")
    editorial, actor = page.desk.services.editorial, panel_actor(page.session)
    if kind == RETRACT:
        results = await editorial.retract(item_id, actor)
    else:
        results = await editorial.correct(item_id, text, actor)
    names = await _names(page)
    return page.render(
        "result.html",
        name=name,
        item_id=item_id,
        results=[(names.get(c, c), c, outcome in WORKED, outcome) for c, outcome in results.items()],
    )
