"""Subscriptions: a private chat or a group receives new posts (all, or one topic), or no longer
(/langganan, /berhenti). In a group only its admins (and the bot's) may decide; a chat that
blocks or removes the bot is unsubscribed, a channel that removes it deactivated."""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from bot.services.base import Actor, Admins, ChatInfo, ChatProbe, ProbeFailed
from bot.storage import Store

log = logging.getLogger(__name__)

GROUP_ADMIN = ("administrator", "creator")
BOT_GONE = ("kicked", "left")  # the bot's status in a chat that blocked or removed it


@dataclass(frozen=True)
class Asker:
    """Who asks in a chat: the user, or a chat the message was sent as (an anonymous group
    admin writes as the group itself)."""

    user_id: int | None
    sender_chat_id: int | None = None


class Subscription(enum.Enum):
    SUBSCRIBED = "subscribed"
    CHANGED = "changed"  # another topic now
    UNCHANGED = "unchanged"
    IS_CHANNEL = "is_channel"  # an agency channel of the bot already
    BAD_TOPIC = "bad_topic"
    NOT_CHAT_ADMIN = "not_chat_admin"  # in a group, only its admins decide
    IGNORED = "ignored"  # asked in a channel: not answered
    UNSUBSCRIBED = "unsubscribed"
    NOT_SUBSCRIBED = "not_subscribed"


class SubscriptionService:
    def __init__(
        self, store: Store, topics: Mapping[str, str], admins: Admins, probe: ChatProbe
    ) -> None:
        self.store, self._topics, self.admins, self.probe = store, dict(topics), admins, probe

    def topics(self) -> dict[str, str]:
        """The topics a subscriber may follow: name -> label."""
        return dict(self._topics)

    async def may_manage(self, chat: ChatInfo, asker: Asker) -> bool:
        """Anyone in a private chat; in a group its admins (a message sent as the group itself
        counts) and the bot's own admins."""
        if chat.kind == "private":
            return True
        if asker.sender_chat_id is not None:
            return asker.sender_chat_id == chat.chat_id
        if asker.user_id is None:
            return False
        if await self.admins.allows(Actor(asker.user_id)):
            return True
        try:
            member = await self.probe.membership(chat.chat_id, asker.user_id)
        except ProbeFailed as failed:
            log.warning("get_chat_member failed chat_id=%s error=%s", chat.chat_id, failed)
            return False
        return member.status in GROUP_ADMIN

    async def subscribe(self, chat: ChatInfo, topic: str | None, asker: Asker) -> Subscription:
        """`topic` None: every new post."""
        if chat.kind == "channel":
            return Subscription.IGNORED
        if topic is not None and topic not in self._topics:
            return Subscription.BAD_TOPIC
        if not await self.may_manage(chat, asker):
            return Subscription.NOT_CHAT_ADMIN
        outcome = await asyncio.to_thread(self.store.subscribe, chat.chat_id, chat.title, topic)
        log.info("subscription chat_id=%s topic=%s outcome=%s", chat.chat_id, topic, outcome)
        return Subscription(outcome)

    async def unsubscribe(self, chat: ChatInfo, asker: Asker) -> Subscription:
        if chat.kind == "channel":
            return Subscription.IGNORED
        if not await self.may_manage(chat, asker):
            return Subscription.NOT_CHAT_ADMIN
        removed = await asyncio.to_thread(self.store.unsubscribe, chat.chat_id)
        return Subscription.UNSUBSCRIBED if removed else Subscription.NOT_SUBSCRIBED

    async def bot_left(self, chat: ChatInfo, status: str) -> None:
        """The bot's membership changed to `status`: blocked (private chat) or removed (group)
        unsubscribes the chat; removed from a channel deactivates it."""
        if status not in BOT_GONE:
            return
        if chat.kind == "channel":
            gone = await asyncio.to_thread(
                self.store.deactivate_channel, chat.chat_id, "bot removed from channel"
            )
            if gone:
                log.warning("channel deactivated chat_id=%s reason=bot removed", chat.chat_id)
            return
        if await asyncio.to_thread(self.store.unsubscribe, chat.chat_id):
            log.info("unsubscribed chat_id=%s reason=%s", chat.chat_id, status)
