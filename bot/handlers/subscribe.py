"""/langganan [topik] and /berhenti: this chat receives new posts (all, or one topic), or no
longer (the rules: bot.services.subscriptions)."""

from __future__ import annotations

import html

from telegram import Update

from bot.handlers.common import reply, say
from bot.handlers.context import HumasContext
from bot.handlers.public import topic_lines
from bot.services.base import ChatInfo
from bot.services.subscriptions import Asker, Subscription

_KEYS = {
    Subscription.BAD_TOPIC: "subscribe_bad_topic",
    Subscription.NOT_CHAT_ADMIN: "subscribe_group_admin_only",
    Subscription.IS_CHANNEL: "subscribe_is_channel",
    Subscription.UNCHANGED: "subscribe_already",
    Subscription.SUBSCRIBED: "subscribe_done",
    Subscription.CHANGED: "subscribe_done",
    Subscription.UNSUBSCRIBED: "unsubscribe_done",
    Subscription.NOT_SUBSCRIBED: "unsubscribe_none",
}


def _chat(update: Update) -> ChatInfo | None:
    chat = update.effective_chat
    if chat is None:
        return None
    name = chat.title or (f"@{chat.username}" if chat.username else chat.full_name)
    return ChatInfo(chat.id, name, chat.type)


def _asker(update: Update) -> Asker:
    message, user = update.effective_message, update.effective_user
    sender = message.sender_chat if message is not None else None
    return Asker(user.id if user else None, sender.id if sender else None)


async def subscribe(update: Update, context: HumasContext) -> None:
    services, chat, args = context.bot_data.services, _chat(update), context.args or []
    if chat is None:
        return
    topic = args[0].lower().lstrip("#") if args else None
    subscriptions = services.subscriptions
    if len(args) > 1:
        outcome = Subscription.BAD_TOPIC
    else:
        outcome = await subscriptions.subscribe(chat, topic, _asker(update))
    if outcome is Subscription.IGNORED:
        return
    topics = subscriptions.topics()
    label = html.escape(topics[topic]) if topic in topics else say(update, context, "all_topics")
    await reply(update, context, _KEYS[outcome], topic=label, topics=topic_lines(context))


async def unsubscribe(update: Update, context: HumasContext) -> None:
    chat = _chat(update)
    if chat is None:
        return
    outcome = await context.bot_data.services.subscriptions.unsubscribe(chat, _asker(update))
    if outcome is not Subscription.IGNORED:
        await reply(update, context, _KEYS[outcome])


async def membership_changed(update: Update, context: HumasContext) -> None:
    """The bot was blocked (private chat) or removed (group, channel)."""
    change = update.my_chat_member
    if change is None:
        return
    chat = ChatInfo(change.chat.id, change.chat.title, change.chat.type)
    await context.bot_data.services.subscriptions.bot_left(chat, change.new_chat_member.status)
