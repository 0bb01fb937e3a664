"""/langganan [topik] and /berhenti: this chat receives new posts (all, or one topic), or no
longer. In a group only its admins may decide; a user who blocks the bot is unsubscribed."""

from __future__ import annotations

import asyncio
import html
import logging

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.handlers.common import is_admin, reply, say
from bot.handlers.context import HumasContext
from bot.handlers.public import topic_lines

log = logging.getLogger(__name__)

_GROUP_ADMIN = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
_GONE = (ChatMember.BANNED, ChatMember.LEFT)


async def may_manage_chat(update: Update, context: HumasContext) -> bool:
    """Anyone in a private chat; in a group its admins (an anonymous admin writes as the group
    itself, so a message sent as this chat counts) and the bot's own admins."""
    chat, message, user = update.effective_chat, update.effective_message, update.effective_user
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id
    if user is None:
        return False
    if await is_admin(update, context):
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.warning("get_chat_member failed chat_id=%s error=%s", chat.id, exc)
        return False
    return member.status in _GROUP_ADMIN


def _chat_name(update: Update) -> str | None:
    chat = update.effective_chat
    if chat is None:
        return None
    return chat.title or (f"@{chat.username}" if chat.username else chat.full_name)


async def subscribe(update: Update, context: HumasContext) -> None:
    services, chat, args = context.bot_data.services, update.effective_chat, context.args or []
    if chat is None or chat.type == ChatType.CHANNEL:
        return
    topics = services.topics()
    topic = args[0].lower().lstrip("#") if args else None
    if len(args) > 1 or (topic is not None and topic not in topics):
        await reply(update, context, "subscribe_bad_topic", topics=topic_lines(context))
        return
    if not await may_manage_chat(update, context):
        await reply(update, context, "subscribe_group_admin_only")
        return
    outcome = await asyncio.to_thread(services.store.subscribe, chat.id, _chat_name(update), topic)
    log.info("subscription chat_id=%s topic=%s outcome=%s", chat.id, topic, outcome)
    label = html.escape(topics[topic]) if topic else None
    if outcome == "is_channel":
        await reply(update, context, "subscribe_is_channel")
    elif outcome == "unchanged":
        await reply(update, context, "subscribe_already", topic=label or _all(update, context))
    else:
        await reply(update, context, "subscribe_done", topic=label or _all(update, context))


def _all(update: Update, context: HumasContext) -> str:
    return say(update, context, "all_topics")


async def unsubscribe(update: Update, context: HumasContext) -> None:
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.CHANNEL:
        return
    if not await may_manage_chat(update, context):
        await reply(update, context, "subscribe_group_admin_only")
        return
    removed = await asyncio.to_thread(context.bot_data.services.store.unsubscribe, chat.id)
    await reply(update, context, "unsubscribe_done" if removed else "unsubscribe_none")


async def membership_changed(update: Update, context: HumasContext) -> None:
    """The bot was blocked (private chat) or removed (group): that chat is unsubscribed."""
    change = update.my_chat_member
    if change is None or change.new_chat_member.status not in _GONE:
        return
    chat = change.chat
    store = context.bot_data.services.store
    if chat.type == ChatType.CHANNEL:
        if await asyncio.to_thread(store.deactivate_channel, chat.id, "bot removed from channel"):
            log.warning("channel deactivated chat_id=%s reason=bot removed", chat.id)
        return
    if await asyncio.to_thread(store.unsubscribe, chat.id):
        log.info("unsubscribed chat_id=%s reason=%s", chat.id, change.new_chat_member.status)
