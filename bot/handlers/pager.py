"""Lists that may grow without bound (/sumber, /sumber status, /kanal) as pages of one message
each, turned with ◀ ▶ buttons like /cari. Each list is built afresh on every press, so a page
always shows the data as it is now."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.format.listing import pages
from bot.handlers.common import is_admin, paced, reply, say
from bot.handlers.context import HumasContext

log = logging.getLogger(__name__)

PREFIX = "hal"
PATTERN = rf"^{PREFIX}:"

# What a list is: its heading (a catalogue key taking {lines}), its key when empty, and lines.
Lines = Callable[[Update, HumasContext], Awaitable[list[str]]]


@dataclass(frozen=True)
class Listing:
    heading: str
    empty: str
    lines: Lines
    admins_only: bool


LISTINGS: dict[str, Listing] = {}


def listing(name: str, heading: str, empty: str, *, admins_only: bool) -> Callable[[Lines], Lines]:
    """Register a list builder under a short name (it goes into callback data)."""

    def register(build: Lines) -> Lines:
        LISTINGS[name] = Listing(heading, empty, build, admins_only)
        return build

    return register


async def show(update: Update, context: HumasContext, name: str, page: int = 0) -> None:
    """Answer with the first page (or edit the pressed message to page `page`)."""
    found = LISTINGS[name]
    lines = await found.lines(update, context)
    if not lines:
        await reply(update, context, found.empty)
        return
    split = pages(lines)
    page = min(max(page, 0), len(split) - 1)
    text = say(update, context, found.heading, lines="\n".join(split[page]))
    markup = _keyboard(name, page, len(split))
    message = update.effective_message
    if message is None:
        return
    if update.callback_query:
        try:
            await message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
        except BadRequest as exc:  # the page shown pressed again
            log.debug("list page unchanged error=%s", exc)
        return
    await paced(update, context)
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def page_button(update: Update, context: HumasContext) -> None:
    """A press on ◀ / ▶ under a list."""
    callback = update.callback_query
    if callback is None or not callback.data:
        return
    _, name, number = [*callback.data.split(":"), "", ""][:3]
    found = LISTINGS.get(name)
    if found is None or not number.isdecimal() or len(number) > 6:
        await callback.answer(say(update, context, "search_expired"), show_alert=True)
        return
    if found.admins_only and not await is_admin(update, context):
        await callback.answer(say(update, context, "not_admin"), show_alert=True)
        return
    await callback.answer()
    await show(update, context, name, int(number))


def _keyboard(name: str, page: int, count: int) -> InlineKeyboardMarkup | None:
    return page_buttons(page, count, lambda to: f"{PREFIX}:{name}:{to}")


def page_buttons(page: int, count: int, data: Callable[[int], str]) -> InlineKeyboardMarkup | None:
    """◀ n/count ▶ under a paged reply (none for one page); ``data(p)`` is page p's button data."""
    if count <= 1:
        return None
    buttons = []
    if page > 0:
        buttons.append(InlineKeyboardButton("◀", callback_data=data(page - 1)))
    buttons.append(InlineKeyboardButton(f"{page + 1}/{count}", callback_data=data(page)))
    if page + 1 < count:
        buttons.append(InlineKeyboardButton("▶", callback_data=data(page + 1)))
    return InlineKeyboardMarkup([buttons])
