"""/sumber status: each feed's health record, for admins (the bot side of `humasbot feeds`)."""

from __future__ import annotations

import asyncio
import html

from telegram import Update

from bot.broadcast.dates import format_when
from bot.handlers.common import language, reply, say
from bot.handlers.context import HumasContext
from bot.storage.base import BROADCAST_FEED_URL

MAX_FEEDS = 40  # one message; `humasbot feeds` has them all
_MARK = {"ok": "✅", "failing": "⚠️", "gone": "⛔", "disabled": "⏸"}


async def feed_health(update: Update, context: HumasContext) -> None:
    """Status, last success, consecutive failures, last error and items seen, per feed."""
    services = context.bot_data.services
    rows = [
        h
        for h in await asyncio.to_thread(services.store.feed_health)
        if h.url != BROADCAST_FEED_URL
    ]
    if not rows:
        await reply(update, context, "sources_none")
        return
    zone, lang = services.config.timezone, language(update, context)
    never = say(update, context, "health_never")
    lines = []
    for health in rows[:MAX_FEEDS]:
        success = format_when(health.last_success, zone, lang) if health.last_success else never
        line = say(
            update,
            context,
            "health_line",
            mark=_MARK.get(health.status, "•"),
            name=html.escape(health.name or health.url),
            success=success,
            failures=health.failures,
            items=health.items,
        )
        if health.last_error:
            line += "\n   " + html.escape(health.last_error[:120])
        lines.append(line)
    if len(rows) > MAX_FEEDS:
        lines.append(say(update, context, "health_more", more=len(rows) - MAX_FEEDS))
    await reply(update, context, "health_list", lines="\n".join(lines))
