"""Small helpers every handler uses: the user's language, replies from the catalogue, who acts,
and the admin guard."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Message, Update, User
from telegram.constants import ParseMode

from bot import i18n
from bot.handlers.context import HumasContext
from bot.services.base import Actor

log = logging.getLogger(__name__)

Handler = Callable[[Update, HumasContext], Coroutine[Any, Any, None]]


def language(update: Update, context: HumasContext) -> str:
    user = update.effective_user
    default = context.bot_data.services.config.language
    return i18n.language_for(user.language_code if user else None, default)


def say(update: Update, context: HumasContext, key: str, **fields: Any) -> str:
    return i18n.text(key, language(update, context), **fields)


async def paced(update: Update, context: HumasContext) -> None:
    """Wait for this chat's turn under Telegram's limits before a reply (the shared pacer, so
    replies and deliveries never add up past them). Updates are handled concurrently: only this
    update waits."""
    chat = update.effective_chat
    if chat is not None:
        await context.bot_data.services.pacer.acquire(chat.id)


async def reply(update: Update, context: HumasContext, key: str, **fields: Any) -> Message | None:
    """Answer with a catalogue text (HTML); fields must already be HTML-safe."""
    message = update.effective_message
    if message is None:
        return None
    await paced(update, context)
    return await message.reply_text(say(update, context, key, **fields), parse_mode=ParseMode.HTML)


def display_name(user: User | None) -> str | None:
    if user is None:
        return None
    return f"@{user.username}" if user.username else user.full_name


def actor(update: Update) -> Actor:
    """Who acts, as the services know them."""
    user, chat = update.effective_user, update.effective_chat
    return Actor(user.id if user else 0, display_name(user), chat.id if chat else None)


async def denied(update: Update, context: HumasContext) -> None:
    """A service refused an admin action to someone not (or no longer) an admin."""
    if update.callback_query:
        await update.callback_query.answer(say(update, context, "not_admin"), show_alert=True)
    else:
        await reply(update, context, "not_admin")


async def is_admin(update: Update, context: HumasContext) -> bool:
    user = update.effective_user
    return user is not None and await context.bot_data.services.is_admin(user.id)


def admin_only(handler: Handler) -> Handler:
    """Let only the bot's admins through; everyone else gets a polite refusal."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: HumasContext) -> None:
        if await is_admin(update, context):
            await handler(update, context)
            return
        user = update.effective_user
        log.info("admin_refused user_id=%s", user.id if user else None)
        await denied(update, context)

    return guarded
