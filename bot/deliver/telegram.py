"""Sending a post through python-telegram-bot and classifying whatever comes back."""

from __future__ import annotations

import asyncio
import logging
import re
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.format.html import to_plain_text
from bot.models import Post, SendOutcome

logger = logging.getLogger(__name__)

# BadRequest descriptions (lower case) that mean the bot can no longer post to the chat.
_CHAT_GONE = (
    "chat not found",
    "need administrator rights",
    "not enough rights",
    "have no rights to send",
    "chat_write_forbidden",
    "chat_admin_required",
    "channel_private",
    "peer_id_invalid",
    "bot is not a member",
    "user is deactivated",
)
# BadRequest descriptions (lower case) that mean the photo, not the post, is the problem.
_PHOTO_UNUSABLE = (
    "wrong file identifier/http url specified",
    "failed to get http url content",
    "wrong type of the web page content",
    "image_process_failed",
    "photo_invalid_dimensions",
    "photo_save_file_invalid",
    "message caption is too long",
)
_TOKEN_SHAPE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
_NOT_MODIFIED = "message is not modified"
_ACTION_RETRY_LIMIT = 30.0  # seconds an admin's delete or edit may wait out a 429


def keyboard(buttons: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup | None:
    """One row of inline buttons from (label, callback data) pairs; None when there are none."""
    if not buttons:
        return None
    row = [InlineKeyboardButton(label, callback_data=data) for label, data in buttons]
    return InlineKeyboardMarkup([row])


def _is_parse_error(exc: BadRequest) -> bool:
    return "can't parse entities" in exc.message.lower()


def _retry_seconds(exc: RetryAfter) -> float:
    # Reading retry_after warns unless PTB_TIMEDELTA is set; the value is int or timedelta.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSink:
    """Sends posts with a started ``telegram.Bot`` (the caller initialises and shuts it down).

    A post with an image and a caption goes as a photo; otherwise as an HTML message whose link
    preview shows the post's image when it has one. Every error becomes a ``SendOutcome``.
    """

    def __init__(
        self, bot: Bot, *, link_previews: bool = True, paid_broadcast: bool = False
    ) -> None:
        self._bot = bot
        self._link_previews = link_previews
        # None leaves the parameter out of the request: only paid broadcasts carry it.
        self._paid: bool | None = True if paid_broadcast else None

    def for_broadcast(self, *, paid: bool) -> TelegramSink:
        """The same bot sending channel broadcasts, paid in Stars (1000/s) when `paid`."""
        return TelegramSink(self._bot, link_previews=self._link_previews, paid_broadcast=paid)

    async def send(self, chat_id: int | str, post: Post) -> SendOutcome:
        try:
            message = await self._send_post(chat_id, post)
        except BadRequest as exc:
            if _is_parse_error(exc):
                return await self._send_plain(chat_id, post, exc)
            return self.classify(exc)
        except TelegramError as exc:
            return self.classify(exc)
        return SendOutcome(status="sent", message_id=message.message_id)

    async def _send_post(self, chat_id: int | str, post: Post) -> Message:
        if post.image and post.caption:
            try:
                return await self._bot.send_photo(
                    chat_id,
                    photo=post.image,
                    caption=post.caption,
                    parse_mode=ParseMode.HTML,
                    allow_paid_broadcast=self._paid,
                    reply_markup=keyboard(post.buttons),
                )
            except BadRequest as exc:
                if not any(m in exc.message.lower() for m in _PHOTO_UNUSABLE):
                    raise
                logger.warning(
                    "photo_unusable_sending_text chat_id=%s error=%s", chat_id, self._scrub(exc)
                )
                return await self._send_html(chat_id, post, image=None)
        return await self._send_html(chat_id, post, image=post.image)

    async def _send_html(self, chat_id: int | str, post: Post, image: str | None) -> Message:
        return await self._bot.send_message(
            chat_id,
            post.html,
            parse_mode=ParseMode.HTML,
            link_preview_options=self._preview(image),
            allow_paid_broadcast=self._paid,
            reply_markup=keyboard(post.buttons),
        )

    def _preview(self, image: str | None) -> LinkPreviewOptions | None:
        if not self._link_previews:
            return LinkPreviewOptions(is_disabled=True)
        if image:
            return LinkPreviewOptions(url=image, prefer_large_media=True, show_above_text=True)
        return None  # Telegram previews the first link: the article

    async def _send_plain(self, chat_id: int | str, post: Post, cause: BadRequest) -> SendOutcome:
        logger.warning(
            "html_rejected_sending_plain chat_id=%s error=%s", chat_id, self._scrub(cause)
        )
        try:
            message = await self._bot.send_message(
                chat_id,
                to_plain_text(post.html),
                parse_mode=None,  # explicit None overrides any Defaults(parse_mode=...)
                link_preview_options=self._preview(None),
                allow_paid_broadcast=self._paid,
                reply_markup=keyboard(post.buttons),
            )
        except TelegramError as exc:
            outcome = self.classify(exc)
            if outcome.status == "failed":
                error = f"{self._scrub(cause)}; plain text: {outcome.error}"
                return SendOutcome(status="failed", error=error)
            return outcome
        return SendOutcome(status="sent", message_id=message.message_id, plain_text_fallback=True)

    async def delete(self, chat_id: int | str, message_id: int) -> str | None:
        """Delete a sent message: None when done, else why not (Telegram's words, no token)."""
        return await self._act(
            "delete", chat_id, message_id, lambda: self._bot.delete_message(chat_id, message_id)
        )

    async def edit(
        self, chat_id: int | str, message_id: int, html: str, *, caption: bool
    ) -> str | None:
        """Replace a sent message's text (or a photo's caption): None when done (also when it
        already reads so), else why not."""
        if caption:
            return await self._act(
                "edit",
                chat_id,
                message_id,
                lambda: self._bot.edit_message_caption(
                    chat_id, message_id, caption=html, parse_mode=ParseMode.HTML
                ),
            )
        return await self._act(
            "edit",
            chat_id,
            message_id,
            lambda: self._bot.edit_message_text(
                html,
                chat_id,
                message_id,
                parse_mode=ParseMode.HTML,
                link_preview_options=self._preview(None),
            ),
        )

    async def _act(
        self,
        action: str,
        chat_id: int | str,
        message_id: int,
        request: Callable[[], Awaitable[object]],
    ) -> str | None:
        """Run a request on a sent message, once more after a short 429; the reason if not."""
        for attempt in (1, 2):
            try:
                await request()
                return None
            except RetryAfter as exc:
                seconds = _retry_seconds(exc)
                if attempt == 2 or seconds > _ACTION_RETRY_LIMIT:
                    return self._reason(exc)
                await asyncio.sleep(seconds)
            except TelegramError as exc:
                if action == "edit" and _NOT_MODIFIED in str(exc).lower():
                    return None
                logger.warning(
                    "%s_failed chat_id=%s message_id=%s error=%s",
                    action,
                    chat_id,
                    message_id,
                    self._scrub(exc),
                )
                return self._reason(exc)
        return None  # not reached: the second attempt returns

    def _reason(self, exc: TelegramError) -> str:
        """Telegram's description for people: without the token and the class name."""
        return self._scrub(exc).split(": ", 1)[-1]

    def classify(self, exc: TelegramError) -> SendOutcome:
        """Map a PTB error to the outbox's outcome (see SendOutcome for the statuses)."""
        error = self._scrub(exc)
        if isinstance(exc, RetryAfter):
            seconds = _retry_seconds(exc)
            return SendOutcome(status="retry", error=error, retry_after=seconds, rate_limited=True)
        if isinstance(exc, ChatMigrated):
            return SendOutcome(status="migrated", error=error, new_chat_id=int(exc.new_chat_id))
        if isinstance(exc, Forbidden):
            return SendOutcome(status="channel_gone", error=error)
        if isinstance(exc, BadRequest):  # before NetworkError: BadRequest subclasses it
            gone = any(m in exc.message.lower() for m in _CHAT_GONE)
            return SendOutcome(status="channel_gone" if gone else "failed", error=error)
        if isinstance(exc, NetworkError | InvalidToken):
            # timeouts, dropped connections, 5xx; a rejected token keeps posts pending too
            return SendOutcome(status="retry", error=error)
        return SendOutcome(status="failed", error=error)

    def _scrub(self, exc: BaseException) -> str:
        text = f"{type(exc).__name__}: {exc}"
        if self._bot.token:
            text = text.replace(self._bot.token, "<token>")
        return _TOKEN_SHAPE.sub("<token>", text)
