"""/daftarjadwal (/schedules): the pending schedules; /batal ID (/cancel): cancel one."""

from __future__ import annotations

import html
import re

from telegram import Update

from bot.dates import format_when
from bot.format.listing import NAME_CHARS, field
from bot.handlers import pager
from bot.handlers.args import record_id
from bot.handlers.common import actor, denied, language, reply, say
from bot.handlers.context import HumasContext
from bot.services.base import Denied
from bot.storage.broadcasts import Broadcast

PREVIEW_CHARS = 60


async def list_schedules(update: Update, context: HumasContext) -> None:
    await pager.show(update, context, "jdw")


@pager.listing("jdw", "schedules_list", "schedules_none", admins_only=True)
async def schedule_lines(update: Update, context: HumasContext) -> list[str]:
    pending = await context.bot_data.services.broadcasts.pending(actor(update))
    if pending is Denied.NOT_ADMIN:
        return []
    return [_line(update, context, b) for b in pending]


def _line(update: Update, context: HumasContext, broadcast: Broadcast) -> str:
    draft = broadcast.draft
    assert draft.run_at is not None
    when = format_when(draft.run_at, draft.timezone, language(update, context))
    if draft.content == "digest":
        what = say(update, context, "schedule_what_digest")
    else:
        plain = html.unescape(_strip_tags(draft.html)).replace("\n", " ")
        what = html.escape(plain[:PREVIEW_CHARS] + ("…" if len(plain) > PREVIEW_CHARS else ""))
    repeat = say(update, context, f"repeat_{draft.repeat}")
    who = field(draft.created_by_name or str(draft.created_by), NAME_CHARS)
    return f"<b>#{broadcast.id}</b> · {when} · {repeat}\n{what}\n<i>{who}</i>"


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


async def cancel(update: Update, context: HumasContext) -> None:
    args = context.args or []
    broadcast_id = record_id(args[0]) if len(args) == 1 else None
    if broadcast_id is None:
        await reply(update, context, "cancel_usage")
        return
    broadcasts = context.bot_data.services.broadcasts
    cancelled = await broadcasts.cancel(broadcast_id, actor(update), action="schedule_cancel")
    if cancelled is Denied.NOT_ADMIN:
        await denied(update, context)
        return
    key = "broadcast_cancelled" if cancelled else "broadcast_gone"
    await reply(update, context, key, id=broadcast_id)
