"""What every update passes before any handler: posts in channels are not commands to us, and a
user who sends too much in too little time is told so once, then ignored for a while."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.handlers.common import is_admin, reply, say
from bot.handlers.context import HumasContext
from bot.ratelimit import Verdict

log = logging.getLogger(__name__)


async def gate(update: Update, context: HumasContext) -> None:
    """Runs first (group -1); raising ApplicationHandlerStop ends the update here."""
    if update.channel_post or update.edited_channel_post:
        raise ApplicationHandlerStop  # a command posted in a channel would be answered there
    user = update.effective_user
    if user is None or not _answerable(update) or await is_admin(update, context):
        return
    verdict = context.bot_data.services.admit(user.id)
    if verdict is Verdict.ADMIT:
        return
    if verdict is Verdict.WARN:
        log.warning("user over the command limit user_id=%s", user.id)
        if update.callback_query:
            await update.callback_query.answer(
                say(update, context, "too_many_requests"), show_alert=True
            )
        else:
            await reply(update, context, "too_many_requests")
    elif update.callback_query:  # no message, but the button must stop spinning
        await update.callback_query.answer()
    raise ApplicationHandlerStop


def _answerable(update: Update) -> bool:
    """Updates the bot answers: commands, private messages, button presses."""
    if update.callback_query:
        return True
    message = update.message
    if message is None:
        return False
    return bool(message.text and message.text.startswith("/")) or (
        message.chat.type == ChatType.PRIVATE
    )
