"""Editorial control from Telegram: the review keyboard (✅ Terbitkan / ❌ Tolak), /tinjau
(/review), /tarik (/retract) and /koreksi (/correct); pauses are in pauses.py. Admins only
(guarded where registered); every action goes to the audit log."""

from __future__ import annotations

import contextlib
import html
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.dates import format_when
from bot.editorial.review import REVIEW_PREFIX
from bot.format.html import to_plain_text
from bot.format.listing import ERROR_CHARS, NAME_CHARS, field
from bot.format.review import review_page
from bot.format.text import shorten
from bot.handlers.args import callback_fields, record_id, strip_words
from bot.handlers.common import actor, denied, display_name, language, paced, reply, say
from bot.handlers.context import HumasContext
from bot.services.base import Denied
from bot.services.editorial import (
    CONFIRM_TTL,
    CORRECT,
    DELETED,
    EDITED,
    RETRACT,
    Answer,
    CorrectionTooLong,
    Decided,
    ItemUnknown,
    Requested,
)
from bot.services.reviews import ReviewPage, page_data

CONFIRM_PATTERN = rf"^(?:{RETRACT}|{CORRECT}):"
REVIEW_PATTERN = rf"^{REVIEW_PREFIX}:"
EXCERPT_CHARS = 200
MAX_CHATS_NAMED = 10  # in one reply; the rest are counted
MAX_RESULT_LINES = 15  # chats named one per line in a report; the rest are counted


async def _send(
    update: Update,
    context: HumasContext,
    text: str,
    buttons: list[tuple[str, str]] | None = None,
) -> Message | None:
    message = update.effective_message
    if message is None:
        return None
    await paced(update, context)
    markup = None
    if buttons:
        row = [InlineKeyboardButton(label, callback_data=data) for label, data in buttons]
        markup = InlineKeyboardMarkup([row])
    return await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def _drop_keyboard(update: Update) -> None:
    message = update.effective_message
    if message is not None:
        with contextlib.suppress(TelegramError):
            await message.edit_reply_markup(reply_markup=None)


async def channel_names(context: HumasContext) -> dict[str, str]:
    return await context.bot_data.services.channels.names()


def chat_list(chat_ids: list[str] | tuple[str, ...], names: dict[str, str]) -> str:
    """The chats by name (with the id), at most MAX_CHATS_NAMED of them, escaped."""
    shown = [
        f"{shorten(names[c], NAME_CHARS)} ({c})" if names.get(c, c) != c else c
        for c in chat_ids[:MAX_CHATS_NAMED]
    ]
    more = f" (+{len(chat_ids) - MAX_CHATS_NAMED})" if len(chat_ids) > MAX_CHATS_NAMED else ""
    return html.escape(", ".join(shown) or "-") + more


# --- review ---------------------------------------------------------------------------------


async def review_button(update: Update, context: HumasContext) -> None:
    """✅ Terbitkan / ❌ Tolak under a review, or ◀ ▶ paging through the pending ones (admins
    only: guarded where registered). Data: rv:pub|rej:<review id>[:<page>], rv:page:<page>."""
    callback = update.callback_query
    if callback is None or not callback.data:
        return
    _, verb, first, page_text = callback_fields(callback.data, 4)
    if verb == "page" and _small_number(first):
        await callback.answer()
        await _show_page(update, context, int(first), edit=True)
        return
    review_id = record_id(first) if verb in ("pub", "rej") else None
    if review_id is None:
        await callback.answer()
        return
    publish = verb == "pub"
    decided = await context.bot_data.services.editorial.decide(review_id, publish, actor(update))
    if decided is Denied.NOT_ADMIN:
        await denied(update, context)
        return
    if not isinstance(decided, Decided):
        known = decided.review
        status = say(update, context, f"review_status_{known.status}") if known else ""
        key = "review_already" if known else "review_unknown"
        answer = say(update, context, key, id=review_id, status=status)
        await callback.answer(answer, show_alert=True)
        if _small_number(page_text):
            await _show_page(update, context, int(page_text), edit=True)
        else:
            await _drop_keyboard(update)
        return
    outcome = "publish" if publish else "reject"
    await callback.answer(say(update, context, f"review_answer_{outcome}", id=review_id))
    if _small_number(page_text):  # decided from the pager: show the next one waiting
        await _show_page(
            update,
            context,
            int(page_text),
            edit=True,
            note=_decided_line(update, context, outcome, review_id),
        )
    else:
        await _mark_decided(update, context, outcome)


def _small_number(text: str) -> bool:
    return text.isdecimal() and len(text) <= 12


def _decided_line(update: Update, context: HumasContext, outcome: str, review_id: int) -> str:
    config = context.bot_data.services.config
    when = format_when(datetime.now(UTC), config.timezone, language(update, context))
    who = html.escape(display_name(update.effective_user) or "?")
    line = say(update, context, f"review_decided_{outcome}", who=who, when=when)
    return f"#{review_id}: {line}"


async def _mark_decided(update: Update, context: HumasContext, outcome: str) -> None:
    """Write the decision and who made it under the announcement, and remove its keyboard."""
    config = context.bot_data.services.config
    when = format_when(datetime.now(UTC), config.timezone, language(update, context))
    who = html.escape(display_name(update.effective_user) or "?")
    line = say(update, context, f"review_decided_{outcome}", who=who, when=when)
    message = update.callback_query.message if update.callback_query else None
    try:
        if isinstance(message, Message) and message.photo:
            caption = f"{message.caption_html}\n\n{line}"
            await message.edit_caption(caption=caption, parse_mode=ParseMode.HTML)
            return
        if isinstance(message, Message) and message.text:
            await message.edit_text(f"{message.text_html}\n\n{line}", parse_mode=ParseMode.HTML)
            return
    except TelegramError:  # too long with the line, or the message is gone
        pass
    await _drop_keyboard(update)
    await _send(update, context, line)


async def list_reviews(update: Update, context: HumasContext) -> None:
    """/tinjau: the pending reviews in one message, oldest first, paged with ◀ ▶."""
    await _show_page(update, context, 0, edit=False)


async def _show_page(
    update: Update, context: HumasContext, index: int, *, edit: bool, note: str = ""
) -> None:
    page = await context.bot_data.services.reviews.page(index)
    message = update.effective_message
    if message is None:
        return
    lang = language(update, context)
    if page is None:
        text = say(update, context, "reviews_none")
    else:
        text = review_page(page.facts, page.index, page.count, lang)
    if note:
        text = f"{note}\n\n{text}"
    markup = _page_keyboard(update, context, page) if page else None
    if edit:
        with contextlib.suppress(TelegramError):  # the same page again, or the message gone
            await message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
        return
    await paced(update, context)
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


def _page_keyboard(update: Update, context: HumasContext, page: ReviewPage) -> InlineKeyboardMarkup:
    review_id, index, count = page.review.id, page.index, page.count
    decide = [
        InlineKeyboardButton(
            say(update, context, "button_publish"),
            callback_data=f"{REVIEW_PREFIX}:pub:{review_id}:{index}",
        ),
        InlineKeyboardButton(
            say(update, context, "button_reject"),
            callback_data=f"{REVIEW_PREFIX}:rej:{review_id}:{index}",
        ),
    ]
    turn = []
    if index > 0:
        turn.append(InlineKeyboardButton("◀", callback_data=page_data(index - 1)))
    turn.append(InlineKeyboardButton(f"{index + 1}/{count}", callback_data=page_data(index)))
    if index + 1 < count:
        turn.append(InlineKeyboardButton("▶", callback_data=page_data(index + 1)))
    return InlineKeyboardMarkup([decide, turn] if count > 1 else [decide])


# --- retract and correct --------------------------------------------------------------------


def _confirm_buttons(
    update: Update, context: HumasContext, kind: str, token: str
) -> list[tuple[str, str]]:
    ok = say(update, context, "button_retract" if kind == RETRACT else "button_correct")
    return [
        (ok, f"{kind}:ok:{token}"),
        (say(update, context, "button_cancel"), f"{kind}:no:{token}"),
    ]


async def retract(update: Update, context: HumasContext) -> None:
    """/tarik ID: what would be deleted where, with ✅ Tarik / ❌ Batal."""
    words = context.args or []
    item_id = record_id(words[0]) if len(words) == 1 else None
    if item_id is None:
        await reply(update, context, "retract_usage")
        return
    asked = await context.bot_data.services.editorial.request_retract(item_id, actor(update))
    if not await _requested(update, context, asked, item_id):
        return
    assert isinstance(asked, Requested)
    plain = to_plain_text(asked.reach.html).replace("\n", " ")
    excerpt = html.escape(plain[:EXCERPT_CHARS] + ("…" if len(plain) > EXCERPT_CHARS else ""))
    key = "retract_confirm" if asked.reach.messages else "retract_confirm_none"
    count, chats = (
        len(asked.reach.messages),
        chat_list(asked.reach.chat_ids, await channel_names(context)),
    )
    text = say(update, context, key, id=item_id, count=count, chats=chats, excerpt=excerpt)
    await _send(update, context, text, _confirm_buttons(update, context, RETRACT, asked.token))


async def correct(update: Update, context: HumasContext) -> None:
    """/koreksi ID TEKS: the corrected post as it will read, with ✅ Koreksi / ❌ Batal."""
    words, message = context.args or [], update.effective_message
    item_id = record_id(words[0]) if words else None
    text = strip_words(message.text or "", 2) if message else ""
    if item_id is None or len(words) < 2 or not text:
        await reply(update, context, "correct_usage")
        return
    asked = await context.bot_data.services.editorial.request_correct(item_id, text, actor(update))
    if isinstance(asked, CorrectionTooLong):
        await reply(update, context, "correct_too_long", limit=asked.limit)
        return
    if not await _requested(update, context, asked, item_id):
        return
    assert isinstance(asked, Requested)
    key = "correct_confirm" if asked.reach.messages else "correct_confirm_none"
    count, chats = (
        len(asked.reach.messages),
        chat_list(asked.reach.chat_ids, await channel_names(context)),
    )
    await reply(update, context, key, id=item_id, count=count, chats=chats)
    buttons = _confirm_buttons(update, context, CORRECT, asked.token)
    await _send(update, context, asked.new_html, buttons)


async def _requested(update: Update, context: HumasContext, asked: object, item_id: int) -> bool:
    """Whether a /tarik or /koreksi was taken; else its refusal answered."""
    if asked is Denied.NOT_ADMIN:
        await denied(update, context)
        return False
    if asked is ItemUnknown.ITEM_UNKNOWN:
        await reply(update, context, "item_unknown", id=item_id)
        return False
    return True


async def confirm_button(update: Update, context: HumasContext) -> None:
    """✅ / ❌ under a /tarik or /koreksi (admins only: guarded where registered)."""
    callback = update.callback_query
    if callback is None or not callback.data:
        return
    kind, verb, token = [*callback.data.split(":"), "", ""][:3]
    await callback.answer()
    editorial = context.bot_data.services.editorial
    if verb in ("ok", "no"):
        done = await editorial.answer(kind, token, verb == "ok", actor(update))
    else:
        done = Answer.GONE
    await _drop_keyboard(update)
    if done is Denied.NOT_ADMIN:
        await reply(update, context, "not_admin")
    elif done is Answer.CANCELLED:
        await reply(update, context, "action_cancelled")
    elif isinstance(done, Answer):
        hours = int(CONFIRM_TTL.total_seconds() // 3600)
        key = "action_timed_out" if done is Answer.EXPIRED else "action_expired"
        await reply(update, context, key, hours=hours)
    else:
        name = "retract" if done.kind == RETRACT else "correct"
        if not done.results:
            await reply(update, context, f"{name}_done_none", id=done.item_id)
            return
        lines = await _result_lines(update, context, done.results)
        await reply(update, context, f"{name}_done", id=done.item_id, lines=lines)


async def _result_lines(update: Update, context: HumasContext, results: dict[str, str]) -> str:
    """Per chat where it failed (at most MAX_RESULT_LINES), and where it worked, counted."""
    names = await channel_names(context)
    worked = [c for c, r in results.items() if r in (DELETED, EDITED)]
    failed = [(c, r) for c, r in results.items() if r not in (DELETED, EDITED)]
    lines = []
    if worked:
        done = say(
            update, context, "result_deleted" if DELETED in results.values() else "result_edited"
        )
        lines.append(f"• {chat_list(worked, names)}: {done}")
    for chat_id, reason in failed[:MAX_RESULT_LINES]:
        outcome = say(update, context, "result_failed", reason=field(reason, ERROR_CHARS))
        lines.append(f"• {chat_list([chat_id], names)}: {outcome}")
    if len(failed) > MAX_RESULT_LINES:
        failure = say(update, context, "result_failed", reason="…")
        lines.append(f"• (+{len(failed) - MAX_RESULT_LINES}) {failure}")
    return "\n".join(lines)
