"""What admins manage: /kanal (channels), /sumber tambah|hapus (feeds), /admin, /status. Thin:
parse, call a service, render."""

from __future__ import annotations

import contextlib
import html
from datetime import timedelta

from telegram import Update
from telegram.error import TelegramError

from bot.dates import format_when
from bot.format.listing import (
    ERROR_CHARS,
    NAME_CHARS,
    URL_CHARS,
    field,
    inactive_reason,
    shown_url,
)
from bot.handlers import health, pager
from bot.handlers.args import chat_ref, record_id, user_id
from bot.handlers.common import actor, admin_only, denied, language, reply, say
from bot.handlers.context import HumasContext
from bot.handlers.menu import set_admin_commands
from bot.handlers.public import list_sources
from bot.services.base import Denied
from bot.services.channels import (
    AdminChange,
    AdminRefusal,
    ChannelAdd,
    ChannelAdded,
    ChannelEnable,
    ChannelReport,
)
from bot.services.feeds import FeedRefusal, SourceUnusable

ADD, REMOVE = {"tambah", "add"}, {"hapus", "remove", "del"}
ENABLE = {"aktifkan", "enable"}
HEALTH = {"status", "kesehatan", "health"}
_ENABLE_KEYS = {
    ChannelEnable.ENABLED: "channel_enabled",
    ChannelEnable.ALREADY_ACTIVE: "channel_already_active",
    ChannelEnable.UNKNOWN: "channel_unknown",
}


async def channels(update: Update, context: HumasContext) -> None:
    args = context.args or []
    verb = args[0].lower() if args else ""
    if not args:
        await pager.show(update, context, "kan")
    elif verb in ADD and len(args) == 2:
        await _add_channel(update, context, args[1])
    elif verb in REMOVE and len(args) == 2:
        await _remove_channel(update, context, args[1])
    elif verb in ENABLE and len(args) == 2:
        await _enable_channel(update, context, args[1])
    else:
        await reply(update, context, "channels_usage")


@pager.listing("kan", "channels_list", "channels_none", admins_only=True)
async def channel_lines(update: Update, context: HumasContext) -> list[str]:
    listed = await context.bot_data.services.channels.listing(actor(update))
    if listed is Denied.NOT_ADMIN:
        return []
    return [_channel_line(update, context, row) for row in listed]


def _channel_line(update: Update, context: HumasContext, row: ChannelReport) -> str:
    state = say(update, context, "state_active" if row.active else "state_inactive")
    if not row.active and row.inactive_reason:
        reason = inactive_reason(row.inactive_reason, language(update, context))
        state += f" ({field(reason, ERROR_CHARS)})"
    tally = say(
        update, context, "channel_counts", sent=row.sent, pending=row.pending, failed=row.failed
    )
    name = field(row.name, NAME_CHARS)
    return (
        f"<b>#{row.id}</b> <code>{field(row.chat_id, NAME_CHARS)}</code> {name}\n"
        f"{state} · {tally}" + _history(update, context, row) + "\n"
    )


def _history(update: Update, context: HumasContext, row: ChannelReport) -> str:
    """Last success and last error of a channel's deliveries, as extra lines."""
    zone, lang = context.bot_data.services.config.timezone, language(update, context)
    lines = ""
    if row.last_success:
        when = format_when(row.last_success, zone, lang)
        lines += "\n" + say(update, context, "channel_last_success", when=when)
    if row.last_error:
        error = field(row.last_error, ERROR_CHARS)
        lines += "\n" + say(update, context, "channel_last_error", error=error)
    return lines


async def _enable_channel(update: Update, context: HumasContext, ref: str) -> None:
    """/kanal aktifkan ID: a deactivated channel receives again; its kept posts go out."""
    target = chat_ref(ref) or ref
    enabled = await context.bot_data.services.channels.enable(target, actor(update))
    if enabled is Denied.NOT_ADMIN:
        await denied(update, context)
        return
    await reply(update, context, _ENABLE_KEYS[enabled], chat=field(ref, NAME_CHARS))


async def _add_channel(update: Update, context: HumasContext, ref: str) -> None:
    added = await context.bot_data.services.channels.add(chat_ref(ref) or ref, actor(update))
    if added is Denied.NOT_ADMIN:
        await denied(update, context)
    elif not isinstance(added, ChannelAdded):
        reason = html.escape(added.reason)
        await reply(
            update, context, "channel_check_failed", chat=field(ref, NAME_CHARS), reason=reason
        )
    elif added.outcome is ChannelAdd.CANNOT_POST:
        await reply(update, context, "channel_cannot_post", chat=field(ref, NAME_CHARS))
    else:
        title = html.escape(added.chat.title or ref)
        await reply(update, context, f"channel_{added.outcome.value}", chat=title)


async def _remove_channel(update: Update, context: HumasContext, ref: str) -> None:
    # a row id (#3) or a chat (-100…, @name)
    known = record_id(ref) if ref.startswith("#") or ref.isdecimal() else chat_ref(ref)
    key = str(known or ref.lstrip("#"))
    outcome = await context.bot_data.services.channels.remove(key, actor(update), label=ref)
    if outcome is Denied.NOT_ADMIN:
        await denied(update, context)
        return
    await reply(update, context, f"channel_{outcome.value}", chat=field(ref, NAME_CHARS))


async def sources(update: Update, context: HumasContext) -> None:
    """The list for everyone; tambah/hapus for admins."""
    args = context.args or []
    verb = args[0].lower() if args else ""
    if not args:
        await list_sources(update, context)
    elif verb in ADD and len(args) == 2:
        await admin_only(_add_source)(update, context)
    elif verb in REMOVE and len(args) == 2:
        await admin_only(_remove_source)(update, context)
    elif verb in HEALTH and len(args) == 1:
        await admin_only(health.feed_health)(update, context)
    else:
        await reply(update, context, "sources_usage")


async def _add_source(update: Update, context: HumasContext) -> None:
    url = (context.args or ["", ""])[1]
    added = await context.bot_data.services.feeds.add(url, actor(update))
    if added is Denied.NOT_ADMIN:
        await denied(update, context)
    elif added is FeedRefusal.BAD_URL:
        await reply(update, context, "source_bad_url")
    elif isinstance(added, SourceUnusable):
        reason = field(added.error, 300) if added.error else say(update, context, "source_none")
        shown = field(shown_url(url, admin=True), URL_CHARS)
        await reply(update, context, "source_unusable", url=shown, reason=reason)
    elif not isinstance(added, FeedRefusal):
        shown_found = field(shown_url(added.url, admin=True), URL_CHARS)
        note = say(update, context, f"source_found_{added.found}", url=shown_found)
        key = "source_added" if added.added else "source_exists"
        await reply(update, context, key, title=field(added.title, NAME_CHARS), found=note)


async def _remove_source(update: Update, context: HumasContext) -> None:
    feed_id = record_id((context.args or ["", ""])[1])
    if feed_id is None:
        await reply(update, context, "sources_usage")
        return
    removed = await context.bot_data.services.feeds.remove(feed_id, actor(update))
    if removed is Denied.NOT_ADMIN:
        await denied(update, context)
    elif isinstance(removed, FeedRefusal):
        await reply(update, context, "source_not_removable", id=feed_id)
    else:
        shown = field(shown_url(removed.url, admin=True), URL_CHARS)
        await reply(update, context, "source_removed", url=shown)


async def admins(update: Update, context: HumasContext) -> None:
    args, service = context.args or [], context.bot_data.services.channels
    verb = args[0].lower() if args else ""
    if not args:
        await pager.show(update, context, "adm")
        return
    target = user_id(args[1]) if len(args) == 2 and verb in ADD | REMOVE else None
    if target is None:
        await reply(update, context, "admins_usage")
        return
    change: AdminChange | AdminRefusal | Denied
    if verb in ADD:
        change = await service.add_admin(target, actor(update))
        action = "admin_add"
    else:
        change = await service.remove_admin(target, actor(update))
        action = "admin_remove"
    if change is Denied.NOT_ADMIN:
        await denied(update, context)
    elif change is AdminRefusal.IN_CONFIG:
        await reply(update, context, "admin_in_config", id=target)
    elif not isinstance(change, (Denied, AdminRefusal)):
        if change.done and verb in ADD:
            await set_admin_commands(context.bot, [target])
        await reply(update, context, f"{action}_{'done' if change.done else 'noop'}", id=target)


@pager.listing("adm", "admins_list", "admins_usage", admins_only=True)
async def admin_lines(update: Update, context: HumasContext) -> list[str]:
    listed = await context.bot_data.services.channels.admin_list(actor(update))
    if listed is Denied.NOT_ADMIN:
        return []
    mark = say(update, context, "admin_added_mark")
    return [f"<code>{a}</code>" for a in listed.configured] + [
        f"<code>{a}</code> ({mark})" for a in listed.added
    ]


async def take_over(update: Update, context: HumasContext) -> None:
    """✅ Ambil alih jadwal under the notice of a removed admin (admins only: guarded where
    registered): the paused schedules run again, in the presser's name."""
    callback = update.callback_query
    if callback is None or not callback.data:
        return
    from_text = callback.data.rsplit(":", 1)[-1]
    if not from_text.isdecimal() or len(from_text) > 19:
        await callback.answer()
        return
    taken = await context.bot_data.services.broadcasts.take_over(int(from_text), actor(update))
    if taken is Denied.NOT_ADMIN:
        await denied(update, context)
        return
    await callback.answer()
    with contextlib.suppress(TelegramError):
        await callback.edit_message_reply_markup(reply_markup=None)
    if not taken:
        await reply(update, context, "schedules_take_none")
        return
    await reply(update, context, "schedules_taken", ids=", ".join(f"#{b.id}" for b in taken))


async def status(update: Update, context: HumasContext) -> None:
    services, lang = context.bot_data.services, language(update, context)
    report = await services.status.report(actor(update))
    if report is Denied.NOT_ADMIN:
        await denied(update, context)
        return
    last_poll = (
        format_when(report.last_poll_at, services.config.timezone, lang)
        if report.last_poll_at
        else say(update, context, "never")
    )
    await reply(
        update,
        context,
        "status",
        feeds_ok=report.feeds_ok,
        feeds_failing=report.feeds_failing,
        pending=report.pending,
        failed=report.failed,
        last_poll=last_poll,
        uptime=_duration(update, context, report.uptime),
        version=report.version,
        schedules=report.schedules,
        subscribers=report.subscribers,
    )


def _duration(update: Update, context: HumasContext, delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return say(update, context, "duration_days", days=days, hours=hours, minutes=minutes)
    return say(update, context, "duration_hours", hours=hours, minutes=minutes)
