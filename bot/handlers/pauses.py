"""/jeda (/pause) and /lanjut (/resume): hold automatic posts to all channels or some, until a
time or until lifted; and the warning under a broadcast preview while a pause is in force. Admins
only (guarded where registered)."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from telegram import Update

from bot.broadcast.compose import split_targets, unknown_targets
from bot.broadcast.dates import format_when
from bot.broadcast.when import WhenError, parse_when
from bot.editorial.pause import Pause
from bot.format.listing import field
from bot.handlers.common import language, reply, say
from bot.handlers.context import HumasContext
from bot.handlers.editorial import actor, channel_names, channels, chat_list

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
        targets, until, zone = await _pause_words(context, list(context.args or []))
    except _Refused as refused:
        for key, fields in refused.answers:
            await reply(update, context, key, **fields)
        return
    await context.bot_data.services.editorial.pause(targets, until, actor(update))
    where = await _where(update, context, targets)
    if until is None:
        await reply(update, context, "pause_done_open", where=where)
        return
    when = format_when(until, zone or config.timezone, language(update, context))
    await reply(update, context, "pause_done_until", where=where, when=when)


async def _pause_words(
    context: HumasContext, words: list[str]
) -> tuple[tuple[str, ...] | None, datetime | None, str | None]:
    config = context.bot_data.services.config
    targets: tuple[str, ...] | None = None
    until, zone = None, None
    while words:
        found, rest = split_targets(words)
        if found is not None:
            targets, words = await _checked_targets(context, found), rest
        elif words[0].lower() in UNTIL_WORDS and until is None:
            try:
                when, words = parse_when(words[1:], datetime.now(UTC), config.timezone)
            except WhenError as error:
                fields = {k: html.escape(v) for k, v in error.fields.items()}
                raise _Refused((error.key, fields), ("pause_usage", {})) from None
            if when.repeat != "once":
                raise _Refused(("pause_repeat", {}))
            until, zone = when.run_at, when.zone
        else:
            raise _Refused(("pause_usage", {}))
    return targets, until, zone


async def _checked_targets(context: HumasContext, targets: tuple[str, ...]) -> tuple[str, ...]:
    known = set(await channel_names(context))
    unknown = unknown_targets(targets, known)
    if unknown or not targets:
        chats = field(", ".join(unknown), 300) or "-"
        raise _Refused(("broadcast_unknown_targets", {"chats": chats}))
    return targets


async def _where(update: Update, context: HumasContext, targets: tuple[str, ...] | None) -> str:
    listed = await channels(context)
    if targets is not None:
        return chat_list(targets, {c.chat_id: c.name or c.chat_id for c in listed})
    return say(update, context, "all_channels", count=sum(c.active for c in listed))


async def resume(update: Update, context: HumasContext) -> None:
    """/lanjut [ke:CHAT,CHAT]: lift the pauses in force; held posts go out."""
    targets, rest = split_targets(list(context.args or []))
    if rest:
        await reply(update, context, "resume_usage")
        return
    try:
        checked = await _checked_targets(context, targets) if targets is not None else None
    except _Refused as refused:
        for key, fields in refused.answers:
            await reply(update, context, key, **fields)
        return
    lifted = await context.bot_data.services.editorial.resume(checked, actor(update))
    if lifted:
        await reply(update, context, "resume_done", count=lifted)
    else:
        await reply(update, context, "resume_none")


async def warn_if_paused(
    update: Update, context: HumasContext, targets: tuple[str, ...] | None
) -> None:
    """Under a broadcast preview: say so when automatic posts to its channels are paused."""
    pauses = await context.bot_data.services.editorial.pauses()
    relevant = [p for p in pauses if p.chats is None or targets is None or p.chats & set(targets)]
    if not relevant:
        return
    described = [await _describe(update, context, p) for p in relevant[:MAX_PAUSES_NAMED]]
    if len(relevant) > MAX_PAUSES_NAMED:
        described.append(f"(+{len(relevant) - MAX_PAUSES_NAMED})")
    await reply(update, context, "pause_warning", pauses="; ".join(described))


async def _describe(update: Update, context: HumasContext, pause: Pause) -> str:
    config = context.bot_data.services.config
    where = await _where(update, context, tuple(sorted(pause.chats)) if pause.chats else None)
    if pause.until is None:
        return f"{where} {say(update, context, 'pause_until_open')}"
    when = format_when(pause.until, config.timezone, language(update, context))
    return f"{where} {say(update, context, 'pause_until', when=when)}"
