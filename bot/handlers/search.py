"""/cari KATA… (/search): recent election posts matching the words, stem-aware, newest first,
paged with inline buttons."""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.dates import format_when
from bot.format.listing import NAME_CHARS, TITLE_CHARS, field, linked
from bot.handlers.args import callback_fields
from bot.handlers.common import language, paced, reply, say
from bot.handlers.context import HumasContext
from bot.handlers.pager import page_buttons
from bot.storage.posts import PublicPost

log = logging.getLogger(__name__)

PAGE_SIZE = 5
PREFIX = "cari"
MAX_QUERY_CHARS = 200
_CALLBACK_BYTES = 64  # Telegram's limit on callback_data


async def search(update: Update, context: HumasContext) -> None:
    query = " ".join(context.args or []).strip()[:MAX_QUERY_CHARS]
    if not query:
        await reply(update, context, "search_usage")
        return
    await _show(update, context, query, page=0, ref=None)


async def search_page(update: Update, context: HumasContext) -> None:
    """A press on ◀ / ▶: show that page in the same message, on any instance."""
    callback = update.callback_query
    if callback is None or not callback.data:
        return
    _, page_text, ref = callback_fields(callback.data, 3)
    query = await _query_for(update, context, ref)
    if query is None or not page_text.isdecimal() or len(page_text) > 6:
        await callback.answer(say(update, context, "search_expired"), show_alert=True)
        return
    await callback.answer()
    await _show(update, context, query, page=int(page_text), ref=ref)


async def _show(
    update: Update, context: HumasContext, query: str, *, page: int, ref: str | None
) -> None:
    """A page of results: a new message for /cari (ref None), else the pressed one edited."""
    found = await context.bot_data.services.search.search(query)
    if not found:
        await reply(update, context, "search_none", query=html.escape(query))
        return
    pages = (len(found) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = found[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    text = say(
        update,
        context,
        "search_head",
        query=html.escape(query),
        total=len(found),
        page=page + 1,
        pages=pages,
    )
    lines = [_line(update, context, page * PAGE_SIZE + i + 1, p) for i, p in enumerate(shown)]
    body = text + "\n\n" + "\n\n".join(lines)
    if pages > 1 and ref is None:
        ref = await _ref_for(update, context, query)
    markup = _keyboard(ref, page, pages) if ref is not None else None
    message = update.effective_message
    if update.callback_query and message is not None:
        try:
            await message.edit_text(body, parse_mode=ParseMode.HTML, reply_markup=markup)
        except BadRequest as exc:  # the same page pressed twice
            log.debug("search page unchanged error=%s", exc)
        return
    if message is not None:
        await paced(update, context)
        await message.reply_text(body, parse_mode=ParseMode.HTML, reply_markup=markup)


def _line(update: Update, context: HumasContext, number: int, post: PublicPost) -> str:
    title = linked(field(post.title, TITLE_CHARS), post.link)
    zone = context.bot_data.services.config.timezone
    when = format_when(post.time, zone, language(update, context))
    source = f" · {field(post.source, NAME_CHARS)}" if post.source else ""
    return f"{number}. <b>{title}</b>\n{when}{source} · #{post.item_id}"


def _keyboard(ref: str, page: int, pages: int) -> InlineKeyboardMarkup | None:
    return page_buttons(page, pages, lambda to: f"{PREFIX}:{to}:{ref}")


async def _ref_for(update: Update, context: HumasContext, query: str) -> str:
    """The query itself when it fits in callback_data, else a token for the query kept in the
    database (so any instance, or the bot after a restart, can show the other pages)."""
    if len(f"{PREFIX}:999:{query}".encode()) <= _CALLBACK_BYTES and not query.startswith("~"):
        return query
    chat = update.effective_chat
    token = await context.bot_data.services.search.keep_query(chat.id if chat else 0, query)
    return "~" + token


async def _query_for(update: Update, context: HumasContext, ref: str) -> str | None:
    if not ref.startswith("~"):
        return ref or None
    chat = update.effective_chat
    return await context.bot_data.services.search.kept_query(chat.id if chat else 0, ref[1:])
