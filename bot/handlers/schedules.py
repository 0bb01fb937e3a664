"""/daftarjadwal (/schedules): the pending schedules; /batal ID (/cancel): cancel one."""

from __future__ import annotations

import asyncio
import html
import re

from telegram import Update

from bot.broadcast.dates import format_when
from bot.format.listing import NAME_CHARS, field
from bot.handlers import pager
from bot.handlers.args import record_id
from bot.handlers.common import audit, language, reply, say
from bot.handlers.context import HumasContext
from bot.storage.bot_views import Broadcast

PREVIEW_CHARS = 60


async def list_schedules(update: Update, context: HumasContext) -> None:
    await pager.show(update, context, "jdw")


@pager.listing("jdw", "schedules_list", "schedules_none", admins_only=True)
async def schedule_lines(update: Update, context: HumasContext) -> list[str]:
    pending = await asyncio.to_thread(context.bot_data.services.store.pending_schedules)
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
    cancelled = await asyncio.to_thread(
        context.bot_data.services.store.cancel_broadcast, broadcast_id
    )
    if not cancelled:
        await reply(update, context, "broadcast_gone", id=broadcast_id)
        return
    context.bot_data.scheduler.forget(broadcast_id)
    await audit(update, context, "schedule_cancel", f"#{broadcast_id}")
    await reply(update, context, "broadcast_cancelled", id=broadcast_id)
