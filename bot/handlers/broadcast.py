"""/siarkan (/broadcast) and /jadwal (/schedule): a preview exactly as it will appear, carrying
the keyboard ✅ Kirim / ❌ Batal; nothing is sent before ✅ Kirim. Admins only (guarded where
registered)."""

from __future__ import annotations

import asyncio
import contextlib
import html
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.broadcast import progress
from bot.broadcast.compose import (
    MAX_CAPTION,
    MAX_TEXT,
    item_reference,
    split_targets,
    unknown_targets,
)
from bot.broadcast.dates import format_when
from bot.broadcast.digest import DIGEST_WORDS
from bot.broadcast.when import WhenError, parse_when
from bot.format.listing import field
from bot.handlers.args import callback_fields, record_id
from bot.handlers.common import audit, display_name, language, paced, reply, say
from bot.handlers.context import HumasContext
from bot.handlers.entities import html_after_words
from bot.handlers.pauses import warn_if_paused
from bot.storage.bot_views import Broadcast, Draft
from bot.storage.confirmations import CONFIRM_TTL

PREFIX = "bc"


class Refusal(Exception):
    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key, self.fields = key, fields


async def broadcast(update: Update, context: HumasContext) -> None:
    words = context.args or []
    try:
        targets, rest = await _targets(context, words)
        content = await _content(update, context, rest, consumed=len(words) - len(rest))
    except Refusal as refusal:
        await reply(update, context, refusal.key, **refusal.fields)
        return
    await _preview(update, context, _draft(update, context, targets, None, "once", *content))


async def schedule(update: Update, context: HumasContext) -> None:
    words, config = context.args or [], context.bot_data.services.config
    try:
        when, after_when = parse_when(words, datetime.now(UTC), config.timezone)
    except WhenError as error:
        fields = {k: html.escape(v) for k, v in error.fields.items()}
        await reply(update, context, error.key, **fields)
        await reply(update, context, "schedule_usage")
        return
    try:
        targets, rest = await _targets(context, after_when)
        if len(rest) == 1 and rest[0].lower() in DIGEST_WORDS:
            content: tuple[str, str | None, str] = ("", None, "digest")
        else:
            content = await _content(update, context, rest, consumed=len(words) - len(rest))
    except Refusal as refusal:
        await reply(update, context, refusal.key, **refusal.fields)
        return
    draft = _draft(update, context, targets, when.run_at, when.repeat, *content, zone=when.zone)
    await _preview(update, context, draft)


async def _targets(
    context: HumasContext, words: list[str]
) -> tuple[tuple[str, ...] | None, list[str]]:
    targets, rest = split_targets(words)
    if targets is None:
        return None, rest
    channels = await asyncio.to_thread(context.bot_data.services.store.channel_list)
    known = {c.chat_id for c in channels if c.active}
    unknown = unknown_targets(targets, known)
    if unknown or not targets:
        raise Refusal("broadcast_unknown_targets", chats=field(", ".join(unknown), 300) or "-")
    return targets, rest


async def _content(
    update: Update, context: HumasContext, rest: list[str], *, consumed: int
) -> tuple[str, str | None, str]:
    """(html, image, "text"): the text after the command, an item by id, or the replied-to
    message."""
    message = update.effective_message
    assert message is not None
    item_id = item_reference(rest)
    if item_id is not None:
        found = await asyncio.to_thread(context.bot_data.services.store.item_post, item_id)
        if found is None:
            raise Refusal("broadcast_unknown_item", id=item_id)
        post_html, image, caption = found
        return (caption, image, "text") if image and caption else (post_html, None, "text")
    if rest:
        text = html_after_words(message.text or "", message.entities, consumed + 1)
        return _checked(text, None)
    replied = message.reply_to_message
    if replied is not None:
        if replied.photo and replied.caption:
            return _checked(replied.caption_html or "", replied.photo[-1].file_id)
        if replied.text:
            return _checked(replied.text_html or "", None)
    raise Refusal("broadcast_usage")


def _checked(text: str, image: str | None) -> tuple[str, str | None, str]:
    if not text.strip():
        raise Refusal("broadcast_usage")
    limit = MAX_CAPTION if image else MAX_TEXT
    if len(text) > limit:
        raise Refusal("broadcast_too_long", limit=limit)
    return text, image, "text"


def _draft(
    update: Update,
    context: HumasContext,
    targets: tuple[str, ...] | None,
    run_at: datetime | None,
    repeat: str,
    text: str,
    image: str | None,
    kind: str,
    *,
    zone: str | None = None,
) -> Draft:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    return Draft(
        html=text,
        image=image,
        targets=targets,
        run_at=run_at,
        repeat=repeat,
        content=kind,
        timezone=zone or context.bot_data.services.config.timezone,
        created_by=user.id,
        created_by_name=display_name(user),
        created_in=chat.id,
    )


async def _preview(update: Update, context: HumasContext, draft: Draft) -> None:
    """The post exactly as it will appear; the draft is stored only once that preview went out
    (a preview Telegram refuses leaves nothing behind), then its message gets ✅ Kirim / ❌ Batal
    and a line saying what and where."""
    services = context.bot_data.services
    await warn_if_paused(update, context, draft.targets)
    text = draft.html
    if draft.content == "digest":
        text = await context.bot_data.scheduler.digest(draft.repeat, datetime.now(UTC))
    try:
        shown = await _send_preview(update, context, text, draft.image)
    except BadRequest as refused:
        await reply(update, context, "broadcast_refused", reason=html.escape(refused.message))
        return
    broadcast_id = await asyncio.to_thread(
        services.store.create_broadcast, draft, now=datetime.now(UTC)
    )
    await audit(update, context, "broadcast_draft", f"#{broadcast_id} {_summary(draft)}")
    await shown.edit_reply_markup(reply_markup=_keyboard(update, context, broadcast_id))
    where = await _where(update, context, draft)
    if draft.run_at is None:
        await reply(update, context, "broadcast_preview", id=broadcast_id, where=where)
        return
    when = format_when(draft.run_at, draft.timezone, language(update, context))
    repeat = say(update, context, f"repeat_{draft.repeat}")
    await reply(
        update, context, "schedule_preview", id=broadcast_id, when=when, repeat=repeat, where=where
    )


def _keyboard(update: Update, context: HumasContext, broadcast_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    say(update, context, "button_send"), callback_data=f"{PREFIX}:ok:{broadcast_id}"
                ),
                InlineKeyboardButton(
                    say(update, context, "button_cancel"),
                    callback_data=f"{PREFIX}:no:{broadcast_id}",
                ),
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


async def _where(update: Update, context: HumasContext, draft: Draft) -> str:
    if draft.targets is not None:
        return html.escape(", ".join(draft.targets))
    channels = await asyncio.to_thread(context.bot_data.services.store.channel_list)
    return say(update, context, "all_channels", count=sum(c.active for c in channels))


def _summary(draft: Draft) -> str:
    when = draft.run_at.isoformat() if draft.run_at else "now"
    targets = ",".join(draft.targets) if draft.targets else "all"
    return f"{draft.content} {draft.repeat} at={when} to={targets} text={draft.html[:200]!r}"


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
    store = context.bot_data.services.store
    if verb == "no":
        cancelled = await asyncio.to_thread(store.cancel_broadcast, broadcast_id)
        await callback.answer()
        await _drop_keyboard(update)
        if cancelled:
            context.bot_data.scheduler.forget(broadcast_id)
            await audit(update, context, "broadcast_cancel", f"#{broadcast_id}")
        await reply(
            update,
            context,
            "broadcast_cancelled" if cancelled else "broadcast_gone",
            id=broadcast_id,
        )
        return
    made_after = datetime.now(UTC) - CONFIRM_TTL
    confirmed = await asyncio.to_thread(
        store.confirm_broadcast, broadcast_id, made_after=made_after
    )
    await callback.answer()
    await _drop_keyboard(update)
    if confirmed is None:
        await _refuse_confirmation(update, context, broadcast_id)
        return
    await audit(update, context, "broadcast_confirm", f"#{broadcast_id}")
    await _start(update, context, confirmed)


async def _refuse_confirmation(update: Update, context: HumasContext, broadcast_id: int) -> None:
    """A draft still waiting was not confirmed because it is too old; anything else is gone."""
    store = context.bot_data.services.store
    found = await asyncio.to_thread(store.get_broadcast, broadcast_id)
    if found is not None and found.status == "draft":
        hours = int(CONFIRM_TTL.total_seconds() // 3600)
        await reply(update, context, "broadcast_expired", id=broadcast_id, hours=hours)
        return
    await reply(update, context, "broadcast_gone", id=broadcast_id)


async def _start(update: Update, context: HumasContext, confirmed: Broadcast) -> None:
    scheduler = context.bot_data.scheduler
    if confirmed.draft.run_at is None:
        queued = await scheduler.send_now(confirmed)
        await reply(update, context, "broadcast_queued", id=confirmed.id, count=queued or 0)
        if queued and queued >= progress.MIN_CHANNELS:
            context.application.create_task(
                _report_progress(update, context, confirmed.id), update=update
            )
        return
    scheduler.arrange(confirmed)
    when = format_when(confirmed.draft.run_at, confirmed.draft.timezone, language(update, context))
    await reply(update, context, "schedule_set", id=confirmed.id, when=when)


async def _report_progress(update: Update, context: HumasContext, broadcast_id: int) -> None:
    """Edit one message with the run's progress until every channel has it."""
    store, chat = context.bot_data.services.store, update.effective_chat
    item_id = await asyncio.to_thread(store.latest_run_item, broadcast_id)
    if item_id is None or chat is None:
        return

    async def send(text: str) -> int | None:
        message = await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML)
        return message.message_id

    async def edit(message_id: int, text: str) -> None:
        with contextlib.suppress(TelegramError):
            await context.bot.edit_message_text(
                text, chat_id=chat.id, message_id=message_id, parse_mode=ParseMode.HTML
            )

    await progress.report(store, item_id, send, edit, language=language(update, context))


async def _drop_keyboard(update: Update) -> None:
    message = update.effective_message
    if message is not None:
        with contextlib.suppress(TelegramError):
            await message.edit_reply_markup(reply_markup=None)
