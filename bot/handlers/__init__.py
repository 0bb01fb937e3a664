"""All handlers, registered in one place; admin commands are guarded here, where registered."""

from __future__ import annotations

from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.handlers import (
    broadcast,
    editorial,
    gate,
    manage,
    pager,
    pauses,
    public,
    schedules,
    search,
    subscribe,
)
from bot.handlers.common import Handler, admin_only
from bot.handlers.errors import on_error
from bot.handlers.menu import PUBLIC_MENU, commands
from bot.panel.command import panel_link
from bot.services import TAKE_OVER

MENU = PUBLIC_MENU
# command -> (aliases, handler, admins only)
COMMANDS: dict[str, tuple[list[str], Handler, bool]] = {
    "start": ([], public.start, False),
    "help": (["bantuan"], public.help_command, False),
    "terbaru": (["latest"], public.latest, False),
    "cari": (["search"], search.search, False),
    "langganan": (["subscribe"], subscribe.subscribe, False),
    "berhenti": (["unsubscribe"], subscribe.unsubscribe, False),
    "topik": (["topics"], public.topics, False),
    "sumber": (["sources"], manage.sources, False),  # tambah/hapus are guarded inside
    "siarkan": (["broadcast"], broadcast.broadcast, True),
    "jadwal": (["schedule"], broadcast.schedule, True),
    "daftarjadwal": (["schedules"], schedules.list_schedules, True),
    "batal": (["cancel"], schedules.cancel, True),
    "kanal": (["channels"], manage.channels, True),
    "status": ([], manage.status, True),
    "admin": (["admins"], manage.admins, True),
    "tinjau": (["review"], editorial.list_reviews, True),
    "tarik": (["retract"], editorial.retract, True),
    "koreksi": (["correct"], editorial.correct, True),
    "jeda": (["pause"], pauses.pause, True),
    "lanjut": (["resume"], pauses.resume, True),
    "panel": ([], panel_link, True),  # the web panel's one-time login link
}
# The update types the handlers below take (getUpdates and setWebhook ask for these only).
UPDATE_TYPES = ["message", "callback_query", "my_chat_member"]
ALIASES = {alias: name for name, (aliases, _, _) in COMMANDS.items() for alias in aliases}
# Only new messages: an edited command must not run twice, and channel posts are not commands.
_NOT_EDITS = filters.UpdateType.MESSAGE


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    app.add_handler(TypeHandler(Update, gate.gate), group=-1)
    for name, (aliases, callback, guarded) in COMMANDS.items():
        handler = admin_only(callback) if guarded else callback
        app.add_handler(CommandHandler([name, *aliases], handler, filters=_NOT_EDITS))
    app.add_handler(CallbackQueryHandler(admin_only(broadcast.button), pattern=r"^bc:"))
    app.add_handler(CallbackQueryHandler(search.search_page, pattern=r"^cari:"))
    app.add_handler(CallbackQueryHandler(pager.page_button, pattern=pager.PATTERN))
    app.add_handler(CallbackQueryHandler(admin_only(manage.take_over), pattern=rf"^{TAKE_OVER}:"))
    for pressed, pattern in (
        (editorial.review_button, editorial.REVIEW_PATTERN),
        (editorial.confirm_button, editorial.CONFIRM_PATTERN),
    ):
        app.add_handler(CallbackQueryHandler(admin_only(pressed), pattern=pattern))
    app.add_handler(
        ChatMemberHandler(subscribe.membership_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    app.add_handler(MessageHandler(filters.COMMAND & _NOT_EDITS, public.unknown_command))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & _NOT_EDITS, public.plain_text))
    app.add_error_handler(on_error)


def menu(language: str) -> list[BotCommand]:
    return commands(PUBLIC_MENU, language)


def all_commands() -> list[str]:
    return [*COMMANDS, *ALIASES]
