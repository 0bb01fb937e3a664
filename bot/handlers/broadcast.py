"""/siarkan (/broadcast) and /jadwal (/schedule): a preview exactly as it will appear, carrying
the keyboard ✅ Kirim / ❌ Batal; nothing is sent before ✅ Kirim. Admins only (guarded where
registered). The rules are bot.services.broadcasts'; this reads the words and renders."""

from __future__ import annotations

import contextlib
import html
from dataclasses import replace
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.broadcast import progress
from bot.broadcast.digest import DIGEST_WORDS
from bot.broadcast.when import WhenError, parse_when
from bot.dates import format_when
from bot.format.listing import field
from bot.handlers.args import callback_fields, item_reference, record_id, split_targets
from bot.handlers.common import actor, denied, language, paced, reply, say
from bot.handlers.context import HumasContext
from bot.handlers.entities import html_after_words
from bot.handlers.pauses import warn_if_paused
from bot.services.base import Denied
from bot.services.broadcasts import (
    CONFIRM_TTL,
    Confirm,
    DraftProblem,
    DraftReady,
    DraftRefused,
    DraftRequest,
    Queued,
)

PREFIX = "bc"


async def broadcast(update: Update, context: HumasContext) -> None:
    words = context.args or []
    targets, rest = split_targets(words)
    request = _content(update, rest, consumed=len(words) - len(rest))
    if request is None:
        await reply(update, context, "broadcast_usage")
        return
    await _prepare(update, context, replace(request, targets=targets))


async def schedule(update: Update, context: HumasContext) -> None:
    words, config = context.args or [], context.bot_data.services.config
    try:
        when, after_when = parse_when(words, datetime.now(UTC), config.timezone)
    except WhenError as error:
        fields = {k: html.escape(v) for k, v in error.fields.items()}
        await reply(update, context, error.key, **fields)
        await reply(update, context, "schedule_usage")
        return
    targets, rest = split_targets(after_when)
    if len(rest) == 1 and rest[0].lower() in DIGEST_WORDS:
        request: DraftRequest | None = DraftRequest(digest=True)
    else:
        request = _content(update, rest, consumed=len(words) - len(rest))
    if request is None:
        await reply(update, context, "broadcast_usage")
        return
    timed = replace(
        request, targets=targets, run_at=when.run_at, repeat=when.repeat, zone=when.zone
    )
    await _prepare(update, context, timed)


def _content(update: Update, rest: list[str], *, consumed: int) -> DraftRequest | None:
    """The text after the command, an item by id, or the replied-to message; None when none."""
    message = update.effective_message
    assert message is not None
    item_id = item_reference(rest)
    if item_id is not None:
        return DraftRequest(item_id=item_id)
    if rest:
        return DraftRequest(
            html=html_after_words(message.text or "", message.entities, consumed + 1)
        )
    replied = message.reply_to_message
    if replied is not None:
        if replied.photo and replied.caption:
            return DraftRequest(html=replied.caption_html or "", image=replied.photo[-1].file_id)
        if replied.text:
            return DraftRequest(html=replied.text_html or "")
    return None


async def _prepare(update: Update, context: HumasContext, request: DraftRequest) -> None:
    ready = await context.bot_data.services.broadcasts.prepare(request, actor(update))
    if ready is Denied.NOT_ADMIN:
        await denied(update, context)
    elif isinstance(ready, DraftRefused):
        await _refused(update, context, ready, request)
    elif isinstance(ready, DraftReady):
        await _preview(update, context, ready)


async def _refused(
    update: Update, context: HumasContext, refused: DraftRefused, request: DraftRequest
) -> None:
    if refused.problem is DraftProblem.UNKNOWN_TARGETS:
        chats = field(", ".join(refused.unknown), 300) or "-"
        await reply(update, context, "broadcast_unknown_targets", chats=chats)
    elif refused.problem is DraftProblem.UNKNOWN_ITEM:
        await reply(update, context, "broadcast_unknown_item", id=request.item_id)
    elif refused.problem is DraftProblem.TOO_LONG:
        await reply(update, context, "broadcast_too_long", limit=refused.limit)
    else:
        await reply(update, context, "broadcast_usage")


async def _preview(update: Update, context: HumasContext, ready: DraftReady) -> None:
    """The post exactly as it will appear; the draft is stored only once that preview went out
    (a preview Telegram refuses leaves nothing behind), then its message gets ✅ Kirim / ❌ Batal
    and a line saying what and where."""
    draft = ready.draft
    await warn_if_paused(update, context, ready.pauses)
    try:
        shown = await _send_preview(update, context, ready.preview, draft.image)
    except BadRequest as refused:
        await reply(update, context, "broadcast_refused", reason=html.escape(refused.message))
        return
    broadcast_id = await context.bot_data.services.broadcasts.save(draft, actor(update))
    if broadcast_id is Denied.NOT_ADMIN:
        await denied(update, context)
        return
    await shown.edit_reply_markup(reply_markup=_keyboard(update, context, broadcast_id))
    if draft.targets is not None:
        where = html.escape(", ".join(draft.targets))
    else:
        where = say(update, context, "all_channels", count=ready.channels)
    if draft.run_at is None:
        await reply(update, context, "broadcast_preview", id=broadcast_id, where=where)
        return
    when = format_when(draft.run_at, draft.timezone, language(update, context))
    repeat = say(update, context, f"repeat_{draft.repeat}")
    await reply(
        update, context, "schedule_preview", id=broadcast_id, when=when, repeat=repeat, where=where
    )


def _keyboard(update: Update, context: HumasContext, broadcast_id: int) -> InlineKeyboardMarkup:
    send = say(update, context, "button_send")
    cancel = say(update, context, "button_cancel")
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(send, callback_data=f"{PREFIX}:ok:{broadcast_id}"),
                InlineKeyboardButton(cancel, callback_data=f"{PREFIX}:no:{broadcast_id}"),
            ]
        ]
    )


async def _send_preview(
    update: Update, context: HumasContext, text: str, image: str | None
) -> Message:
    chat = update.effective_chat
    assert chat is not None
    await paced(update, context)
    if image:
        return await context.bot.send_photo(chat.id, image, caption=text, parse_mode=ParseMode.HTML)
    return await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML)


async def button(update: Update, context: HumasContext) -> None:
    """✅ Kirim or ❌ Batal under a preview (admins only: guarded where registered)."""
    callback = update.callback_query
    if callback is None or not callback.data:
        return
    _, verb, id_text = callback_fields(callback.data, 3)
    broadcast_id = record_id(id_text) if verb in ("ok", "no") else None
    if broadcast_id is None:
        await callback.answer()
        return
    broadcasts = context.bot_data.services.broadcasts
    if verb == "no":
        cancelled = await broadcasts.cancel(broadcast_id, actor(update))
        if cancelled is Denied.NOT_ADMIN:
            await denied(update, context)
            return
        await callback.answer()
        await _drop_keyboard(update)
        key = "broadcast_cancelled" if cancelled else "broadcast_gone"
        await reply(update, context, key, id=broadcast_id)
        return
    confirmed = await broadcasts.confirm(broadcast_id, actor(update))
    if confirmed is Denied.NOT_ADMIN:
        await denied(update, context)
        return
    await callback.answer()
    await _drop_keyboard(update)
    if confirmed is Confirm.EXPIRED:
        hours = int(CONFIRM_TTL.total_seconds() // 3600)
        await reply(update, context, "broadcast_expired", id=broadcast_id, hours=hours)
    elif confirmed is Confirm.GONE:
        await reply(update, context, "broadcast_gone", id=broadcast_id)
    elif isinstance(confirmed, Queued):
        queued = confirmed.count
        await reply(update, context, "broadcast_queued", id=broadcast_id, count=queued or 0)
        if queued and queued >= progress.MIN_CHANNELS:
            context.application.create_task(
                _report_progress(update, context, broadcast_id), update=update
            )
    else:
        draft = confirmed.broadcast.draft
        assert draft.run_at is not None
        when = format_when(draft.run_at, draft.timezone, language(update, context))
        await reply(update, context, "schedule_set", id=broadcast_id, when=when)


async def _report_progress(update: Update, context: HumasContext, broadcast_id: int) -> None:
    """Edit one message with the run's progress until every channel has it."""
    broadcasts, chat = context.bot_data.services.broadcasts, update.effective_chat
    found = await broadcasts.progress(broadcast_id)
    if found is None or chat is None:
        return
    item_id = found[0]

    async def send(text: str) -> int | None:
        message = await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML)
        return message.message_id

    async def edit(message_id: int, text: str) -> None:
        with contextlib.suppress(TelegramError):
            await context.bot.edit_message_text(
                text, chat_id=chat.id, message_id=message_id, parse_mode=ParseMode.HTML
            )

    async def read() -> progress.Progress:
        return await broadcasts.item_progress(item_id)

    await progress.report(read, send, edit, language=language(update, context))


async def _drop_keyboard(update: Update) -> None:
    message = update.effective_message
    if message is not None:
        with contextlib.suppress(TelegramError):
            await message.edit_reply_markup(reply_markup=None)
