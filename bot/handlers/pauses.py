"""/jeda (/pause) and /lanjut (/resume): hold automatic posts to all channels or some, until a
time or until lifted; and the warning under a broadcast preview while a pause is in force. Admins
only (guarded where registered)."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from telegram import Update

from bot.broadcast.when import WhenError, parse_when
from bot.dates import format_when
from bot.editorial.pause import Pause
from bot.format.listing import field
from bot.handlers.args import split_targets
from bot.handlers.common import actor, denied, language, reply, say
from bot.handlers.context import HumasContext
from bot.handlers.editorial import chat_list
from bot.services.base import Denied
from bot.services.editorial import UnknownChats

UNTIL_WORDS = {"sampai", "hingga", "until"}

MAX_PAUSES_NAMED = 5  # in a warning; the rest are counted


class _Refused(Exception):
    def __init__(self, *answers: tuple[str, dict[str, str]]) -> None:
        super().__init__(answers[0][0])
        self.answers = answers


async def pause(update: Update, context: HumasContext) -> None:
    """/jeda [sampai WAKTU] [ke:CHAT,CHAT]: hold automatic posts until then or /lanjut."""
    config = context.bot_data.services.config
    try:
        targets, until, zone = _pause_words(list(context.args or []), config.timezone)
    except _Refused as refused:
        for key, fields in refused.answers:
            await reply(update, context, key, **fields)
        return
    paused = await context.bot_data.services.editorial.pause(targets, until, actor(update))
    if paused is Denied.NOT_ADMIN:
        await denied(update, context)
        return
    if isinstance(paused, UnknownChats):
        await _unknown(update, context, paused)
        return
    where = await _where(update, context, targets)
    if until is None:
        await reply(update, context, "pause_done_open", where=where)
        return
    when = format_when(until, zone or config.timezone, language(update, context))
    await reply(update, context, "pause_done_until", where=where, when=when)


def _pause_words(
    words: list[str], default_zone: str
) -> tuple[tuple[str, ...] | None, datetime | None, str | None]:
    targets: tuple[str, ...] | None = None
    until, zone = None, None
    while words:
        found, rest = split_targets(words)
        if found is not None:
            targets, words = found, rest
        elif words[0].lower() in UNTIL_WORDS and until is None:
            try:
                when, words = parse_when(words[1:], datetime.now(UTC), default_zone)
            except WhenError as error:
                fields = {k: html.escape(v) for k, v in error.fields.items()}
                raise _Refused((error.key, fields), ("pause_usage", {})) from None
            if when.repeat != "once":
                raise _Refused(("pause_repeat", {}))
            until, zone = when.run_at, when.zone
        else:
            raise _Refused(("pause_usage", {}))
    return targets, until, zone


async def _unknown(update: Update, context: HumasContext, unknown: UnknownChats) -> None:
    chats = field(", ".join(unknown.chats), 300) or "-"
    await reply(update, context, "broadcast_unknown_targets", chats=chats)


async def _where(update: Update, context: HumasContext, targets: tuple[str, ...] | None) -> str:
    channels = context.bot_data.services.channels
    if targets is not None:
        return chat_list(targets, await channels.names())
    return say(update, context, "all_channels", count=await channels.active_count())


async def resume(update: Update, context: HumasContext) -> None:
    """/lanjut [ke:CHAT,CHAT]: lift the pauses in force; held posts go out."""
    targets, rest = split_targets(list(context.args or []))
    if rest:
        await reply(update, context, "resume_usage")
        return
    lifted = await context.bot_data.services.editorial.resume(targets, actor(update))
    if lifted is Denied.NOT_ADMIN:
        await denied(update, context)
    elif isinstance(lifted, UnknownChats):
        await _unknown(update, context, lifted)
    elif lifted:
        await reply(update, context, "resume_done", count=lifted)
    else:
        await reply(update, context, "resume_none")


async def warn_if_paused(update: Update, context: HumasContext, pauses: list[Pause]) -> None:
    """Under a broadcast preview: say so when automatic posts to its channels are paused."""
    if not pauses:
        return
    described = [await _describe(update, context, p) for p in pauses[:MAX_PAUSES_NAMED]]
    if len(pauses) > MAX_PAUSES_NAMED:
        described.append(f"(+{len(pauses) - MAX_PAUSES_NAMED})")
    await reply(update, context, "pause_warning", pauses="; ".join(described))


async def _describe(update: Update, context: HumasContext, pause: Pause) -> str:
    zone = context.bot_data.services.config.timezone
    where = await _where(update, context, tuple(sorted(pause.chats)) if pause.chats else None)
    if pause.until is None:
        return f"{where} {say(update, context, 'pause_until_open')}"
    when = format_when(pause.until, zone, language(update, context))
    return f"{where} {say(update, context, 'pause_until', when=when)}"
