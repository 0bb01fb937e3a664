"""Commands anyone may use: /start, /help, /terbaru. Thin: parse, call a service, reply."""

from __future__ import annotations

import html

from telegram import Update
from telegram.constants import ChatType, ParseMode

from bot import i18n
from bot.handlers.context import HumasContext


def _language(update: Update, context: HumasContext) -> str:
    user = update.effective_user
    default = context.bot_data.services.config.language
    return i18n.language_for(user.language_code if user else None, default)


async def _reply(update: Update, context: HumasContext, key: str, **fields: object) -> None:
    if update.effective_message:
        text = i18n.text(key, _language(update, context), **fields)
        await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


async def start(update: Update, context: HumasContext) -> None:
    """Introduce the bot."""
    user = update.effective_user
    name = f", {html.escape(user.first_name)}" if user and user.first_name else ""
    await _reply(update, context, "start", name=name)


async def help_command(update: Update, context: HumasContext) -> None:
    """List the commands."""
    await _reply(update, context, "help", default=context.bot_data.services.config.latest_default)


def parse_count(args: list[str], default: int) -> int | None:
    """The n of `/terbaru n`: 1 to 10, the default when absent, None when malformed."""
    if not args:
        return default
    if len(args) == 1 and args[0].isdecimal() and 1 <= int(args[0]) <= 10:
        return int(args[0])
    return None


async def latest(update: Update, context: HumasContext) -> None:
    """Send the last n election posts, as the posts themselves."""
    services = context.bot_data.services
    count = parse_count(context.args or [], services.config.latest_default)
    chat = update.effective_chat
    if count is None or chat is None:
        await _reply(update, context, "latest_bad_arg")
        return
    posts = await services.latest(count)
    if not posts:
        await _reply(update, context, "latest_none")
        return
    await services.send_posts(chat.id, posts)


async def unknown_command(update: Update, context: HumasContext) -> None:
    """Answer an unknown command, but stay silent on commands addressed to another bot."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0]
    if "@" in command and command.split("@", 1)[1].lower() != (context.bot.username or "").lower():
        return
    await _reply(update, context, "unknown_command", command=html.escape(command))


async def plain_text(update: Update, context: HumasContext) -> None:
    """A private message that is not a command: point to the commands."""
    chat = update.effective_chat
    if chat and chat.type == ChatType.PRIVATE:
        await _reply(update, context, "plain_text")
