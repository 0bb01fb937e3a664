"""All command handlers, registered in one place; the command list feeds setMyCommands."""

from __future__ import annotations

from typing import Any

from telegram import BotCommand
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot import i18n
from bot.handlers import public
from bot.handlers.errors import on_error

# (command, text key of its menu description); aliases are registered but not listed.
MENU = [("start", "cmd_start"), ("terbaru", "cmd_terbaru"), ("help", "cmd_help")]
ALIASES = {"latest": "terbaru", "bantuan": "help"}


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    app.add_handler(CommandHandler("start", public.start))
    app.add_handler(CommandHandler(["help", "bantuan"], public.help_command))
    app.add_handler(CommandHandler(["terbaru", "latest"], public.latest))
    app.add_handler(MessageHandler(filters.COMMAND, public.unknown_command))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, public.plain_text))
    app.add_error_handler(on_error)


def menu(language: str) -> list[BotCommand]:
    return [BotCommand(name, i18n.text(key, language)) for name, key in MENU]


def all_commands() -> list[str]:
    return [name for name, _ in MENU] + list(ALIASES)
