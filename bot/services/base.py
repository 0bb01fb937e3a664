"""What every service shares: who acts (for the audit trail and the admin rule), the clock, the
one audit writer, the admin list, and the one delivery wake-up signal.

Services return plain values: dataclasses for what happened and enums for refusals (never
Telegram objects or rendered text), so the bot, the CLI and the web panel each render them their
own way.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from bot.storage import Store

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]  # the current time, aware
ADMINS_TTL = 2.0  # seconds; another instance's change to the admins shows within this


def utc_now() -> datetime:
    return datetime.now(UTC)


class Denied(enum.Enum):
    """A refusal every admin action may answer with."""

    NOT_ADMIN = "not_admin"


@dataclass(frozen=True)
class Actor:
    """Who acts: the user's id, their display name and the chat they wrote in (for the audit
    log; the panel passes its own chat-less actor). `operator`: the command line, run by whoever
    holds the server (its database and config): allowed every admin action, and recorded."""

    user_id: int
    name: str | None = None
    chat_id: int | None = None
    operator: bool = False


OPERATOR = Actor(0, "cli", operator=True)


class Wakeup:
    """The one signal that wakes the delivery worker: a publish, a resume, a re-enabled channel
    or a queued broadcast goes out now. Created once with the services; the sender connects to
    it when it starts (it may start later, or on another instance: then the next look at the
    outbox finds the rows anyway)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def connect(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def __call__(self) -> None:
        for listener in self._listeners:
            listener()


class Audit:
    """The one way an admin action is recorded: who, what, where, when."""

    def __init__(self, store: Store, clock: Clock = utc_now) -> None:
        self.store, self.clock = store, clock

    async def record(self, by: Actor, action: str, detail: str = "") -> None:
        await asyncio.to_thread(
            self.store.record_audit,
            user_id=by.user_id,
            user_name=by.name,
            chat_id=by.chat_id,
            action=action,
            detail=detail,
            now=self.clock(),
        )
        log.info("admin_action user_id=%s action=%s", by.user_id, action)


class Admins:
    """Who the bot's admins are: the config's, and the ones admins added (read at most every
    ADMINS_TTL seconds: every update asks, and a flood must not queue a database read per
    message)."""

    def __init__(
        self,
        store: Store,
        configured: Iterable[int],
        *,
        ttl: float = ADMINS_TTL,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store, self.configured = store, frozenset(configured)
        self.ttl, self.monotonic = ttl, monotonic
        self._cached: tuple[float, set[int]] | None = None
        self._lock = asyncio.Lock()

    async def ids(self) -> set[int]:
        async with self._lock:  # one read for many concurrent asks
            now = self.monotonic()
            if self._cached is None or now - self._cached[0] > self.ttl:
                added = await asyncio.to_thread(self.store.added_admins)
                self._cached = (now, set(self.configured) | set(added))
            return set(self._cached[1])

    async def allows(self, actor: Actor) -> bool:
        return actor.operator or actor.user_id in await self.ids()

    def forget(self) -> None:
        """After an admin was added or removed here: read the list again at the next ask."""
        self._cached = None


@dataclass(frozen=True)
class ChatInfo:
    """A Telegram chat as a service needs it."""

    chat_id: int
    title: str | None
    kind: str  # private, group, supergroup, channel


@dataclass(frozen=True)
class Membership:
    """Someone's standing in a chat: Telegram's status (creator, administrator, member,
    restricted, left, kicked) and, for an administrator of a channel, whether they may post."""

    status: str
    can_post_messages: bool = False


class ProbeFailed(Exception):
    """Telegram would not tell (unknown chat, the bot not in it, a network error)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ChatProbe(Protocol):
    """Asks Telegram about chats (the bot's adapter: bot.handlers.chats.TelegramChats)."""

    async def chat(self, ref: int | str) -> ChatInfo: ...

    async def membership(self, chat_id: int, user_id: int | None) -> Membership:
        """`user_id` None: the bot itself."""
        ...


class NoProbe:
    """Without a bot (the CLI): every question fails."""

    async def chat(self, ref: int | str) -> ChatInfo:
        raise ProbeFailed("no bot")

    async def membership(self, chat_id: int, user_id: int | None) -> Membership:
        raise ProbeFailed("no bot")
