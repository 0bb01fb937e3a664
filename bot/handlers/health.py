"""/sumber status: each feed's health record, for admins (the bot side of `humasbot feeds`),
a page at a time."""

from __future__ import annotations

from telegram import Update

from bot.dates import format_when
from bot.format.listing import ERROR_CHARS, NAME_CHARS, URL_CHARS, field, shown_url
from bot.handlers import pager
from bot.handlers.common import actor, language, say
from bot.handlers.context import HumasContext
from bot.services.base import Denied

_MARK = {"ok": "✅", "failing": "⚠️", "gone": "⛔", "disabled": "⏸"}


async def feed_health(update: Update, context: HumasContext) -> None:
    """Status, last success, consecutive failures, last error and items seen, per feed."""
    await pager.show(update, context, "sst")


@pager.listing("sst", "health_list", "sources_none", admins_only=True)
async def health_lines(update: Update, context: HumasContext) -> list[str]:
    services = context.bot_data.services
    rows = await services.feeds.health(actor(update))
    if rows is Denied.NOT_ADMIN:
        return []
    zone, lang = services.config.timezone, language(update, context)
    never = say(update, context, "health_never")
    lines = []
    for health in rows:
        success = format_when(health.last_success, zone, lang) if health.last_success else never
        name = (
            field(health.name, NAME_CHARS)
            if health.name
            else field(shown_url(health.url, admin=True), URL_CHARS)
        )
        line = say(
            update,
            context,
            "health_line",
            mark=_MARK.get(health.status, "•"),
            name=name,
            success=success,
            failures=health.failures,
            items=health.items,
        )
        if health.last_error:
            line += "\n   " + field(health.last_error, ERROR_CHARS)
        lines.append(line)
    return lines
