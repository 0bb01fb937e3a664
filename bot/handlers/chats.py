"""The services' chat probe on Telegram: what a chat is, and someone's standing in it."""

from __future__ import annotations

from telegram import Bot
from telegram.error import TelegramError

from bot.services.base import ChatInfo, Membership, ProbeFailed


class TelegramChats:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def chat(self, ref: int | str) -> ChatInfo:
        try:
            chat = await self.bot.get_chat(ref)
        except TelegramError as exc:
            raise ProbeFailed(exc.message) from exc
        return ChatInfo(chat.id, chat.title, chat.type)

    async def membership(self, chat_id: int, user_id: int | None) -> Membership:
        try:
            member = await self.bot.get_chat_member(chat_id, user_id or self.bot.id)
        except TelegramError as exc:
            raise ProbeFailed(exc.message) from exc
        return Membership(member.status, bool(getattr(member, "can_post_messages", False)))
