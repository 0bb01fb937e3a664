"""What admins manage: /kanal (channels), /sumber tambah|hapus (feeds), /admin, /status."""

from __future__ import annotations

import asyncio
import html
import logging
from datetime import UTC, datetime, timedelta

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

import bot
from bot.broadcast.dates import format_when
from bot.handlers import health
from bot.handlers.common import admin_only, audit, language, reply, say
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
    store = context.bot_data.services.store
    rows = await asyncio.to_thread(store.channel_list)
    counts = await asyncio.to_thread(store.delivery_counts)
    reports = {r.chat_id: r for r in await asyncio.to_thread(store.channel_deliveries)}
    if not rows:
        await reply(update, context, "channels_none")
        return
    lines = []
    for row in rows:
        state = say(update, context, "state_active" if row.active else "state_inactive")
        if not row.active and row.inactive_reason:
            state += f" ({html.escape(row.inactive_reason[:80])})"
        done = counts.get(row.chat_id, {})
        tally = say(
            update,
            context,
            "channel_counts",
            sent=done.get("sent", 0),
            pending=done.get("pending", 0),
            failed=done.get("failed", 0),
        )
        name = html.escape(row.name or "")
        lines.append(
            f"<b>#{row.id}</b> <code>{html.escape(row.chat_id)}</code> {name}\n{state} · {tally}"
            + _history(update, context, reports.get(row.chat_id))
        )
    await reply(update, context, "channels_list", lines="\n\n".join(lines))


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
            update, context, "channel_last_error", error=html.escape(report.last_error[:120])
        )
    return lines


async def _enable_channel(update: Update, context: HumasContext, ref: str) -> None:
    """/kanal aktifkan ID: a deactivated channel receives again; its kept posts go out."""
    services = context.bot_data.services
    target: int | str = int(ref) if ref.lstrip("-").isdecimal() else ref
    enabled = await asyncio.to_thread(services.store.enable_channel, target)
    key = {True: "channel_enabled", False: "channel_already_active", None: "channel_unknown"}[
        enabled
    ]
    if enabled:
        services.wake_delivery()
        await audit(update, context, "channel_enable", str(target))
    await reply(update, context, key, chat=html.escape(ref))


async def _add_channel(update: Update, context: HumasContext, ref: str) -> None:
    target: int | str = int(ref) if ref.lstrip("-").isdecimal() else ref
    try:
        chat = await context.bot.get_chat(target)
        member = await context.bot.get_chat_member(chat.id, context.bot.id)
    except TelegramError as exc:
        await reply(
            update,
            context,
            "channel_check_failed",
            chat=html.escape(ref),
            reason=html.escape(exc.message),
        )
        return
    can_post = member.status == ChatMember.ADMINISTRATOR and (
        chat.type != ChatType.CHANNEL or bool(getattr(member, "can_post_messages", False))
    )
    if chat.type != ChatType.CHANNEL and member.status == ChatMember.MEMBER:
        can_post = True
    if not can_post:
        await reply(update, context, "channel_cannot_post", chat=html.escape(ref))
        return
    outcome = await asyncio.to_thread(
        context.bot_data.services.store.add_channel, chat.id, chat.title
    )
    await audit(update, context, "channel_add", f"{chat.id} {ref} {outcome}")
    await reply(update, context, f"channel_{outcome}", chat=html.escape(chat.title or ref))


async def _remove_channel(update: Update, context: HumasContext, ref: str) -> None:
    outcome = await asyncio.to_thread(
        context.bot_data.services.store.remove_channel, ref.lstrip("#")
    )
    if outcome == "removed":
        await audit(update, context, "channel_remove", ref)
    await reply(update, context, f"channel_{outcome}", chat=html.escape(ref))


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
        reason = html.escape(found.error) if found.error else say(update, context, "source_none")
        await reply(update, context, "source_unusable", url=html.escape(url), reason=reason)
        return
    user, title = update.effective_user, found.title or found.url
    assert user is not None
    added = await asyncio.to_thread(
        services.store.add_admin_feed, found.url, title, by=user.id, now=datetime.now(UTC)
    )
    if added:
        await services.resync_feeds()
        await audit(update, context, "source_add", found.url)
    note = say(update, context, f"source_found_{found.found}", url=html.escape(found.url))
    await reply(
        update,
        context,
        "source_added" if added else "source_exists",
        title=html.escape(title),
        found=note,
    )


async def _remove_source(update: Update, context: HumasContext) -> None:
    services, ref = context.bot_data.services, (context.args or ["", ""])[1].lstrip("#")
    if not ref.isdecimal():
        await reply(update, context, "sources_usage")
        return
    url = await asyncio.to_thread(services.store.remove_admin_feed, int(ref))
    if url is None:
        await reply(update, context, "source_not_removable", id=ref)
        return
    await services.resync_feeds()
    await audit(update, context, "source_remove", url)
    await reply(update, context, "source_removed", url=html.escape(url))


async def admins(update: Update, context: HumasContext) -> None:
    args, services = context.args or [], context.bot_data.services
    verb = args[0].lower() if args else ""
    if not args:
        added = await asyncio.to_thread(services.store.added_admins)
        listed = [f"<code>{a}</code>" for a in services.config.admins]
        listed += [f"<code>{a}</code> ({say(update, context, 'admin_added_mark')})" for a in added]
        await reply(update, context, "admins_list", lines="\n".join(listed) or "-")
        return
    if len(args) != 2 or not args[1].isdecimal() or verb not in ADD | REMOVE:
        await reply(update, context, "admins_usage")
        return
    user, target = update.effective_user, int(args[1])
    assert user is not None
    if verb in ADD:
        done = await asyncio.to_thread(
            services.store.add_admin, target, by=user.id, now=datetime.now(UTC)
        )
        if done:
            await set_admin_commands(context.bot, [target])
    elif target in services.config.admins:
        await reply(update, context, "admin_in_config", id=target)
        return
    else:
        done = await asyncio.to_thread(services.store.remove_admin, target)
    action = "admin_add" if verb in ADD else "admin_remove"
    if done:
        await audit(update, context, action, str(target))
    await reply(update, context, f"{action}_{'done' if done else 'noop'}", id=target)


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
