"""The one error handler: log with the traceback, answer the user politely (never a 429: that
answer would be refused too), never crash."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import RetryAfter, TelegramError

from bot import i18n
from bot.handlers.args import NotFound, answer_not_found
from bot.handlers.context import HumasContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: HumasContext) -> None:
    if isinstance(context.error, NotFound) and isinstance(update, Update):
        log.info("id not found update=%s", update.update_id)
        await answer_not_found(update, context, context.error.value)
        return
    if isinstance(context.error, RetryAfter):
        # Telegram refused a reply for going too fast: answering that would be refused too.
        log.warning(
            "reply rate limited update=%s retry_after=%s",
            getattr(update, "update_id", None),
            context.error.retry_after,
        )
        return
    log.error(
        "handler failed update=%s", getattr(update, "update_id", None), exc_info=context.error
    )
    if not isinstance(update, Update) or update.effective_message is None:
        return
    user = update.effective_user
    language = i18n.language_for(user.language_code if user else None)
    try:
        await update.effective_message.reply_text(
            i18n.text("error", language), parse_mode=ParseMode.HTML
        )
    except TelegramError:
        log.warning("could not tell the user about the error chat_id=%s", update.effective_chat)
