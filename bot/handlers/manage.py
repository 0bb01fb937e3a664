"""What admins manage: /kanal (channels), /sumber tambah|hapus (feeds), /admin, /status."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from datetime import UTC, datetime, timedelta

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

import bot
from bot.broadcast.dates import format_when
from bot.format.listing import ERROR_CHARS, NAME_CHARS, URL_CHARS, field, shown_url
from bot.handlers import health, pager
from bot.handlers.args import chat_ref, record_id, user_id
from bot.handlers.common import admin_only, audit, display_name, language, reply, say
from bot.handlers.context import HumasContext
from bot.handlers.menu import set_admin_commands
from bot.handlers.public import list_sources
from bot.storage.channels import ChannelDeliveries

log = logging.getLogger(__name__)

ADD, REMOVE = {"tambah", "add"}, {"hapus", "remove", "del"}
ENABLE = {"aktifkan", "enable"}
HEALTH = {"status", "kesehatan", "health"}


async def channels(update: Update, context: HumasContext) -> None:
    args = context.args or []
    verb = args[0].lower() if args else ""
    if not args:
        await _list_channels(update, context)
    elif verb in ADD and len(args) == 2:
        await _add_channel(update, context, args[1])
    elif verb in REMOVE and len(args) == 2:
        await _remove_channel(update, context, args[1])
    elif verb in ENABLE and len(args) == 2:
        await _enable_channel(update, context, args[1])
    else:
        await reply(update, context, "channels_usage")


async def _list_channels(update: Update, context: HumasContext) -> None:
    await pager.show(update, context, "kan")


@pager.listing("kan", "channels_list", "channels_none", admins_only=True)
async def channel_lines(update: Update, context: HumasContext) -> list[str]:
    store = context.bot_data.services.store
    rows = await asyncio.to_thread(store.channel_list)
    counts = await asyncio.to_thread(store.delivery_counts)
    reports = {r.chat_id: r for r in await asyncio.to_thread(store.channel_deliveries)}
    lines = []
    for row in rows:
        state = say(update, context, "state_active" if row.active else "state_inactive")
        if not row.active and row.inactive_reason:
            state += f" ({field(row.inactive_reason, ERROR_CHARS)})"
        done = counts.get(row.chat_id, {})
        tally = say(
            update,
            context,
            "channel_counts",
            sent=done.get("sent", 0),
            pending=done.get("pending", 0),
            failed=done.get("failed", 0),
        )
        name = field(row.name, NAME_CHARS)
        lines.append(
            f"<b>#{row.id}</b> <code>{field(row.chat_id, NAME_CHARS)}</code> {name}\n"
            f"{state} · {tally}" + _history(update, context, reports.get(row.chat_id)) + "\n"
        )
    return lines


def _history(update: Update, context: HumasContext, report: ChannelDeliveries | None) -> str:
    """Last success and last error of a channel's deliveries, as extra lines."""
    if report is None:
        return ""
    zone, lang = context.bot_data.services.config.timezone, language(update, context)
    lines = ""
    if report.last_success:
        lines += "\n" + say(
            update,
            context,
            "channel_last_success",
            when=format_when(report.last_success, zone, lang),
        )
    if report.last_error:
        lines += "\n" + say(
            update, context, "channel_last_error", error=field(report.last_error, ERROR_CHARS)
        )
    return lines


async def _enable_channel(update: Update, context: HumasContext, ref: str) -> None:
    """/kanal aktifkan ID: a deactivated channel receives again; its kept posts go out."""
    services = context.bot_data.services
    target = chat_ref(ref) or ref
    enabled = await asyncio.to_thread(services.store.enable_channel, target)
    key = {True: "channel_enabled", False: "channel_already_active", None: "channel_unknown"}[
        enabled
    ]
    if enabled:
        services.wake_delivery()
        await audit(update, context, "channel_enable", str(target))
    await reply(update, context, key, chat=field(ref, NAME_CHARS))


async def _add_channel(update: Update, context: HumasContext, ref: str) -> None:
    target = chat_ref(ref) or ref
    try:
        chat = await context.bot.get_chat(target)
        member = await context.bot.get_chat_member(chat.id, context.bot.id)
    except TelegramError as exc:
        await reply(
            update,
            context,
            "channel_check_failed",
            chat=field(ref, NAME_CHARS),
            reason=html.escape(exc.message),
        )
        return
    can_post = member.status == ChatMember.ADMINISTRATOR and (
        chat.type != ChatType.CHANNEL or bool(getattr(member, "can_post_messages", False))
    )
    if chat.type != ChatType.CHANNEL and member.status == ChatMember.MEMBER:
        can_post = True
    if not can_post:
        await reply(update, context, "channel_cannot_post", chat=field(ref, NAME_CHARS))
        return
    outcome = await asyncio.to_thread(
        context.bot_data.services.store.add_channel, chat.id, chat.title
    )
    await audit(update, context, "channel_add", f"{chat.id} {ref} {outcome}")
    await reply(update, context, f"channel_{outcome}", chat=html.escape(chat.title or ref))


async def _remove_channel(update: Update, context: HumasContext, ref: str) -> None:
    # a row id (#3) or a chat (-100…, @name)
    known = record_id(ref) if ref.startswith("#") or ref.isdecimal() else chat_ref(ref)
    outcome = await asyncio.to_thread(
        context.bot_data.services.store.remove_channel, str(known or ref.lstrip("#"))
    )
    if outcome == "removed":
        await audit(update, context, "channel_remove", ref)
    await reply(update, context, f"channel_{outcome}", chat=field(ref, NAME_CHARS))


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
    services, url = context.bot_data.services, (context.args or ["", ""])[1]
    if not url.lower().startswith(("http://", "https://")):
        await reply(update, context, "source_bad_url")
        return
    found = await services.check_feed(url)
    if not found.usable:
        reason = field(found.error, 300) if found.error else say(update, context, "source_none")
        shown = field(shown_url(url, admin=True), URL_CHARS)
        await reply(update, context, "source_unusable", url=shown, reason=reason)
        return
    user, title = update.effective_user, found.title or found.url
    assert user is not None
    added = await asyncio.to_thread(
        services.store.add_admin_feed, found.url, title, by=user.id, now=datetime.now(UTC)
    )
    if added:
        await services.resync_feeds()
        await audit(update, context, "source_add", found.url)
    shown_found = field(shown_url(found.url, admin=True), URL_CHARS)
    note = say(update, context, f"source_found_{found.found}", url=shown_found)
    await reply(
        update,
        context,
        "source_added" if added else "source_exists",
        title=field(title, NAME_CHARS),
        found=note,
    )


async def _remove_source(update: Update, context: HumasContext) -> None:
    services, ref = context.bot_data.services, (context.args or ["", ""])[1]
    feed_id = record_id(ref)
    if feed_id is None:
        await reply(update, context, "sources_usage")
        return
    url = await asyncio.to_thread(services.store.remove_admin_feed, feed_id)
    if url is None:
        await reply(update, context, "source_not_removable", id=feed_id)
        return
    await services.resync_feeds()
    await audit(update, context, "source_remove", url)
    await reply(update, context, "source_removed", url=field(shown_url(url, admin=True), URL_CHARS))


async def admins(update: Update, context: HumasContext) -> None:
    args, services = context.args or [], context.bot_data.services
    verb = args[0].lower() if args else ""
    if not args:
        await pager.show(update, context, "adm")
        return
    target = user_id(args[1]) if len(args) == 2 and verb in ADD | REMOVE else None
    if target is None:
        await reply(update, context, "admins_usage")
        return
    user = update.effective_user
    assert user is not None
    if verb in ADD:
        done = await services.add_admin(target, by=user.id)
        if done:
            await set_admin_commands(context.bot, [target])
    elif target in services.config.admins:
        await reply(update, context, "admin_in_config", id=target)
        return
    else:
        done, paused = await services.remove_admin(target)
        if paused:
            await audit(
                update, context, "schedules_pause", f"{target} " + ",".join(map(str, paused))
            )
    action = "admin_add" if verb in ADD else "admin_remove"
    if done:
        await audit(update, context, action, str(target))
    await reply(update, context, f"{action}_{'done' if done else 'noop'}", id=target)


@pager.listing("adm", "admins_list", "admins_usage", admins_only=True)
async def admin_lines(update: Update, context: HumasContext) -> list[str]:
    services = context.bot_data.services
    added = await asyncio.to_thread(services.store.added_admins)
    mark = say(update, context, "admin_added_mark")
    return [f"<code>{a}</code>" for a in services.config.admins] + [
        f"<code>{a}</code> ({mark})" for a in added
    ]


async def take_over(update: Update, context: HumasContext) -> None:
    """✅ Ambil alih jadwal under the notice of a removed admin (admins only: guarded where
    registered): the paused schedules run again, in the presser's name."""
    callback, user = update.callback_query, update.effective_user
    if callback is None or not callback.data or user is None:
        return
    from_text = callback.data.rsplit(":", 1)[-1]
    if not from_text.isdecimal() or len(from_text) > 19:
        await callback.answer()
        return
    taken = await context.bot_data.services.take_over_schedules(
        int(from_text), by=user.id, by_name=display_name(user)
    )
    await callback.answer()
    with contextlib.suppress(TelegramError):
        await callback.edit_message_reply_markup(reply_markup=None)
    if not taken:
        await reply(update, context, "schedules_take_none")
        return
    for broadcast in taken:
        context.bot_data.scheduler.arrange(broadcast)
    ids = ", ".join(f"#{b.id}" for b in taken)
    await audit(update, context, "schedules_take_over", f"from={from_text} {ids}")
    await reply(update, context, "schedules_taken", ids=ids)


async def status(update: Update, context: HumasContext) -> None:
    services, lang = context.bot_data.services, language(update, context)
    store, zone = services.store, services.config.timezone
    feeds = [f for f in await asyncio.to_thread(store.feed_list) if f.enabled]
    counts = await asyncio.to_thread(store.delivery_counts)
    schedules = await asyncio.to_thread(store.pending_schedules)
    subscribers = await asyncio.to_thread(store.subscriber_count)
    now = datetime.now(UTC)
    last_poll = (
        format_when(services.last_poll_at, zone, lang)
        if services.last_poll_at
        else say(update, context, "never")
    )
    await reply(
        update,
        context,
        "status",
        feeds_ok=sum(f.failures == 0 for f in feeds),
        feeds_failing=sum(f.failures > 0 for f in feeds),
        pending=sum(c.get("pending", 0) for c in counts.values()),
        failed=sum(c.get("failed", 0) for c in counts.values()),
        last_poll=last_poll,
        uptime=_duration(now - services.started_at),
        version=bot.__version__,
        schedules=len(schedules),
        subscribers=subscribers,
    )


def _duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    return f"{days}d {hours}h {minutes}m" if days else f"{hours}h {minutes}m"
