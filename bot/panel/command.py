"""/panel: an admin gets a one-time login link to the web panel, in their private chat only (a
link posted in a group could be opened by anyone there). Anyone else is refused (the guard where
the command is registered)."""

from __future__ import annotations

import html

from telegram import LinkPreviewOptions, Update
from telegram.constants import ChatType, ParseMode

from bot.handlers.common import display_name, paced, reply, say
from bot.handlers.context import HumasContext
from bot.panel.desk import desk_of
from bot.services.panel_login import LINK_TTL


async def panel_link(update: Update, context: HumasContext) -> None:
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    base = context.bot_data.services.config.http.panel_base()
    desk = desk_of(context.bot_data)
    if base is None or desk is None:
        await reply(update, context, "panel_off")
        return
    if chat.type != ChatType.PRIVATE:
        await reply(update, context, "panel_private_only")
        return
    link = await desk.logins.link(base, user.id, display_name(user))
    if link is None:
        await reply(update, context, "not_admin")
        return
    minutes = int(LINK_TTL.total_seconds() // 60)
    text = say(update, context, "panel_link", link=html.escape(link), minutes=minutes)
    await paced(update, context)
    # No preview: a preview fetcher opening the link would use it up.
    await message.reply_text(
        text, parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
    )
