"""The command menus Telegram shows (setMyCommands): everyone's, and admins' own."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot import i18n

log = logging.getLogger(__name__)

# (command, text key of its menu description); aliases are registered but not listed.
PUBLIC_MENU = [
    ("start", "cmd_start"),
    ("terbaru", "cmd_terbaru"),
    ("cari", "cmd_cari"),
    ("langganan", "cmd_langganan"),
    ("berhenti", "cmd_berhenti"),
    ("topik", "cmd_topik"),
    ("sumber", "cmd_sumber"),
    ("help", "cmd_help"),
]
ADMIN_MENU = [
    ("siarkan", "cmd_siarkan"),
    ("jadwal", "cmd_jadwal"),
    ("daftarjadwal", "cmd_daftarjadwal"),
    ("batal", "cmd_batal"),
    ("kanal", "cmd_kanal"),
    ("status", "cmd_status"),
    ("admin", "cmd_admin"),
    ("tinjau", "cmd_tinjau"),
    ("tarik", "cmd_tarik"),
    ("koreksi", "cmd_koreksi"),
    ("jeda", "cmd_jeda"),
    ("lanjut", "cmd_lanjut"),
    ("panel", "cmd_panel"),
]
LANGUAGES = ("id", "en")


def commands(entries: list[tuple[str, str]], language: str) -> list[BotCommand]:
    return [BotCommand(name, i18n.text(key, language)) for name, key in entries]


async def set_menus(bot: Bot, admin_ids: Iterable[int], admin_chat_id: int | None) -> None:
    """Everyone's menu in both languages; admins' private chats get the admin commands too, and
    the admin chat only the admin commands (the shorter list)."""
    for language in LANGUAGES:
        code = None if language == "id" else language
        await bot.set_my_commands(commands(PUBLIC_MENU, language), language_code=code)
    await set_admin_commands(bot, admin_ids)
    if admin_chat_id is not None:
        await _set_for_chat(bot, admin_chat_id, ADMIN_MENU)


async def set_admin_commands(bot: Bot, admin_ids: Iterable[int]) -> None:
    for admin_id in admin_ids:
        await _set_for_chat(bot, admin_id, PUBLIC_MENU + ADMIN_MENU)


async def _set_for_chat(bot: Bot, chat_id: int, entries: list[tuple[str, str]]) -> None:
    scope = BotCommandScopeChat(chat_id)
    try:
        for language in LANGUAGES:
            code = None if language == "id" else language
            await bot.set_my_commands(commands(entries, language), scope=scope, language_code=code)
    except TelegramError as exc:  # e.g. an admin who never opened a chat with the bot
        log.warning("admin menu not set chat_id=%s error=%s", chat_id, exc)
