"""A post's page: the post, where it went, and Tarik / Koreksi with the bot's confirmation.

As in the bot, asking to take back or correct a post only shows what will happen (the channels
it reached, the corrected text) and keeps a confirmation, used once, for a day; the action runs
on ✅ and is reported per channel. The editorial service does all of it, audit included."""

from __future__ import annotations

from datetime import timedelta

from starlette.responses import Response

from bot.panel.desk import panel_actor
from bot.panel.web import Page
from bot.services.base import Denied
from bot.services.broadcasts import MAX_TEXT
from bot.services.editorial import (
    CORRECT,
    DELETED,
    EDITED,
    RETRACT,
    Answer,
    CorrectionTooLong,
    Done,
    ItemUnknown,
    Requested,
)
from bot.storage.confirmations import CONFIRM_TTL

WORKED = (DELETED, EDITED)


async def post_page(page: Page, *, status: int = 200, note: str = "") -> Response:
    item_id = int(page.request.path_params["item_id"])
    reach = await page.desk.services.editorial.reach(item_id)
    if reach is None:
        return page.render("message.html", status=404, key="panel_post_unknown")
    names = await page.desk.services.channels.names()
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
    verb = page.request.path_params["verb"]
    editorial, actor = page.desk.services.editorial, panel_actor(page.session)
    requested: Requested | CorrectionTooLong | ItemUnknown | Denied
    if verb == "tarik":
        requested = await editorial.request_retract(item_id, actor)
    elif verb == "koreksi" and (text := page.form.get("teks", "").strip()):
        requested = await editorial.request_correct(item_id, text, actor)
    else:
        return await post_page(page, status=400, note=page.t("panel_correct_bad"))
    if isinstance(requested, CorrectionTooLong):
        return await post_page(page, status=400, note=page.t("panel_correct_bad"))
    if not isinstance(requested, Requested):
        return page.render("message.html", status=404, key="panel_post_unknown")
    names = await page.desk.services.channels.names()
    return page.render(
        "confirm.html",
        kind=requested.kind,
        token=requested.token,
        reach=requested.reach,
        chats=[(c, names.get(c, c)) for c in requested.reach.chat_ids],
        preview=requested.new_html,
        hours=int(CONFIRM_TTL / timedelta(hours=1)),
    )


async def confirm(page: Page) -> Response:
    """POST /panel/konfirmasi/{kind}/{token} (jawab=ya|batal): the ✅ or ❌ of the bot."""
    kind, token = page.request.path_params["kind"], page.request.path_params["token"]
    if kind not in (RETRACT, CORRECT):
        return page.render("message.html", status=404, key="panel_confirm_gone")
    answered = await page.desk.services.editorial.answer(
        kind, token, page.form.get("jawab") == "ya", panel_actor(page.session)
    )
    if answered is Answer.CANCELLED:
        return page.render("message.html", key="panel_action_cancelled")
    if not isinstance(answered, Done):
        return page.render("message.html", status=409, key="panel_confirm_gone")
    names = await page.desk.services.channels.names()
    return page.render(
        "result.html",
        name="retract" if kind == RETRACT else "correct",
        item_id=answered.item_id,
        results=[
            (names.get(c, c), c, outcome in WORKED, outcome)
            for c, outcome in answered.results.items()
        ],
    )
