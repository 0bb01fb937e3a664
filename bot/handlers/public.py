"""Commands anyone may use: /start, /help, /terbaru, /sumber (the list), /topik. Thin: parse,
call a service, reply."""

from __future__ import annotations

import html

from telegram import Update
from telegram.constants import ChatType, ParseMode

from bot.format.listing import NAME_CHARS, URL_CHARS, field
from bot.handlers import pager
from bot.handlers.common import is_admin, paced, reply, say
from bot.handlers.context import HumasContext


async def start(update: Update, context: HumasContext) -> None:
    """Introduce the bot."""
    user = update.effective_user
    name = f", {html.escape(user.first_name)}" if user and user.first_name else ""
    await reply(update, context, "start", name=name)


async def help_command(update: Update, context: HumasContext) -> None:
    """List the commands; admins see theirs too."""
    text = say(update, context, "help", default=context.bot_data.services.config.latest_default)
    if await is_admin(update, context):
        text += "\n" + say(update, context, "help_admin")
    if update.effective_message:
        await paced(update, context)
        await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


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
        await reply(update, context, "latest_bad_arg")
        return
    posts = await services.search.latest(count)
    if not posts:
        await reply(update, context, "latest_none")
        return
    if not services.search.send_posts(chat.id, posts):
        await reply(update, context, "latest_busy")


async def list_sources(update: Update, context: HumasContext) -> None:
    """The feeds followed, with their id (for /sumber hapus), a page at a time."""
    await pager.show(update, context, "src")


@pager.listing("src", "sources_list", "sources_none", admins_only=False)
async def source_lines(update: Update, context: HumasContext) -> list[str]:
    admin = await is_admin(update, context)
    feeds = await context.bot_data.services.feeds.listed(admin=admin)
    return [
        f"#{feed.id} {field(feed.name, NAME_CHARS)} — {field(feed.url, URL_CHARS)}"
        if feed.name
        else f"#{feed.id} {field(feed.url, URL_CHARS)}"
        for feed in feeds
    ]


async def topics(update: Update, context: HumasContext) -> None:
    await reply(update, context, "topics_list", topics=topic_lines(context))


def topic_lines(context: HumasContext) -> str:
    return "\n".join(
        f"• <code>{name}</code> — {html.escape(label)}"
        for name, label in context.bot_data.services.subscriptions.topics().items()
    )


async def unknown_command(update: Update, context: HumasContext) -> None:
    """Answer an unknown command, but stay silent on commands addressed to another bot."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0]
    if "@" in command and command.split("@", 1)[1].lower() != (context.bot.username or "").lower():
        return
    await reply(update, context, "unknown_command", command=field(command, NAME_CHARS))


async def plain_text(update: Update, context: HumasContext) -> None:
    """A private message that is not a command: point to the commands."""
    chat = update.effective_chat
    if chat and chat.type == ChatType.PRIVATE:
        await reply(update, context, "plain_text")
