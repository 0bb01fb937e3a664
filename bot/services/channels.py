"""Channels and admins: the channels the bot posts to (/kanal), who may post where, and who the
bot's admins are (/admin). Every change is an admin action, refused to anyone else and recorded
in the audit log."""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass
from datetime import datetime

from bot.services.base import (
    Actor,
    Admins,
    Audit,
    ChatInfo,
    ChatProbe,
    Clock,
    Denied,
    Membership,
    ProbeFailed,
    Wakeup,
    utc_now,
)
from bot.services.broadcasts import BroadcastService
from bot.storage import Store
from bot.storage.channels import ChannelDeliveries, ChannelListing
from bot.storage.logins import LoginQueries

ADMINISTRATOR, MEMBER = "administrator", "member"


def may_post(chat: ChatInfo, bot: Membership) -> bool:
    """Whether the bot can post in `chat`: in a channel as an administrator with the right to
    post; in a group as an administrator or a plain member."""
    if chat.kind == "channel":
        return bot.status == ADMINISTRATOR and bot.can_post_messages
    return bot.status in (ADMINISTRATOR, MEMBER)


@dataclass(frozen=True)
class ChannelReport:
    """One channel as /kanal and the panel list it."""

    id: int
    chat_id: str
    name: str | None
    active: bool
    inactive_reason: str | None
    sent: int
    pending: int
    failed: int
    last_success: datetime | None
    last_error: str | None


class ChannelAdd(enum.Enum):
    ADDED = "added"
    REACTIVATED = "reactivated"
    EXISTS = "exists"
    IS_SUBSCRIBER = "is_subscriber"  # the chat subscribed as a reader: not an agency channel
    CANNOT_POST = "cannot_post"  # the bot is not allowed to post there


@dataclass(frozen=True)
class ChannelAdded:
    outcome: ChannelAdd
    chat: ChatInfo


@dataclass(frozen=True)
class ChannelUnreachable:
    """Telegram would not say what the chat is: its message."""

    reason: str


class ChannelEnable(enum.Enum):
    ENABLED = "enabled"
    ALREADY_ACTIVE = "already_active"
    UNKNOWN = "unknown"


class ChannelRemove(enum.Enum):
    REMOVED = "removed"
    IN_CONFIG = "in_config"  # the config's channels stay
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class AdminList:
    configured: list[int]
    added: list[int]


@dataclass(frozen=True)
class AdminChange:
    """`done` False when nothing changed (already an admin, or not an added one); the schedules
    a removed admin had set are paused (their ids)."""

    done: bool
    paused: list[int]


class AdminRefusal(enum.Enum):
    IN_CONFIG = "in_config"  # a config admin is removed in the config, not by command


class ChannelService:
    def __init__(
        self,
        store: Store,
        admins: Admins,
        audit: Audit,
        wakeup: Wakeup,
        schedules: BroadcastService,
        probe: ChatProbe,
        *,
        clock: Clock = utc_now,
    ) -> None:
        self.store, self.admins, self.audit, self.wakeup = store, admins, audit, wakeup
        self.schedules, self.probe, self.clock = schedules, probe, clock

    # --- channels ------------------------------------------------------------------------

    async def listing(self, by: Actor) -> list[ChannelReport] | Denied:
        """The agencies' channels (not readers' subscriptions) with their delivery figures
        (/kanal, the panel's Kanal): the same counts as `deliveries`."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        rows = await asyncio.to_thread(self.store.channel_deliveries)
        return [
            ChannelReport(
                id=row.id,
                chat_id=row.chat_id,
                name=row.name,
                active=row.active,
                inactive_reason=row.inactive_reason,
                sent=row.sent,
                pending=row.pending,
                failed=row.failed,
                last_success=row.last_success,
                last_error=row.last_error,
            )
            for row in rows
            if row.kind == "channel"
        ]

    async def deliveries(self, by: Actor) -> list[ChannelDeliveries] | Denied:
        """Every chat posts go to (agencies' channels and readers' subscriptions), in the
        order they were added, with its deliveries sent, pending (waiting or being sent) and
        failed, its last success and its last error (`humasbot deliveries`)."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        return await asyncio.to_thread(self.store.channel_deliveries)

    async def names(self) -> dict[str, str]:
        """Every channel's name by chat id (the chat id when it has none)."""
        return {c.chat_id: c.name or c.chat_id for c in await self._channels()}

    async def active(self) -> list[ChannelListing]:
        """The agencies' channels posts go to now, in the order they were added."""
        return [c for c in await self._channels() if c.active]

    async def active_count(self) -> int:
        return sum(c.active for c in await self._channels())

    async def unknown(self, targets: tuple[str, ...], *, active_only: bool) -> list[str]:
        """The targets that are not channels of the bot (not active ones, if so asked)."""
        known = {c.chat_id for c in await self._channels() if c.active or not active_only}
        return [t for t in targets if t not in known]

    async def add(self, ref: int | str, by: Actor) -> ChannelAdded | ChannelUnreachable | Denied:
        """Add a channel the bot may post to (checked with Telegram first)."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        try:
            chat = await self.probe.chat(ref)
            member = await self.probe.membership(chat.chat_id, None)
        except ProbeFailed as failed:
            return ChannelUnreachable(failed.message)
        if not may_post(chat, member):
            return ChannelAdded(ChannelAdd.CANNOT_POST, chat)
        outcome = ChannelAdd(
            await asyncio.to_thread(self.store.add_channel, chat.chat_id, chat.title)
        )
        await self.audit.record(by, "channel_add", f"{chat.chat_id} {ref} {outcome.value}")
        return ChannelAdded(outcome, chat)

    async def remove(self, key: str, by: Actor, *, label: str = "") -> ChannelRemove | Denied:
        """Remove an admin-added channel by row id ("3") or chat id; its deliveries go too."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        outcome = ChannelRemove(await asyncio.to_thread(self.store.remove_channel, key))
        if outcome is ChannelRemove.REMOVED:
            await self.audit.record(by, "channel_remove", label or key)
        return outcome

    async def enable(self, ref: int | str, by: Actor) -> ChannelEnable | Denied:
        """A channel the bot had deactivated receives again: its kept posts go out."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        enabled = await asyncio.to_thread(self.store.enable_channel, ref)
        if enabled is None:
            return ChannelEnable.UNKNOWN
        if not enabled:
            return ChannelEnable.ALREADY_ACTIVE
        self.wakeup()
        await self.audit.record(by, "channel_enable", str(ref))
        return ChannelEnable.ENABLED

    async def _channels(self) -> list[ChannelListing]:
        return await asyncio.to_thread(self.store.channel_list)

    # --- admins --------------------------------------------------------------------------

    async def admin_ids(self) -> set[int]:
        return await self.admins.ids()

    async def is_admin(self, user_id: int) -> bool:
        return await self.admins.allows(Actor(user_id))

    async def admin_list(self, by: Actor) -> AdminList | Denied:
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        added = await asyncio.to_thread(self.store.added_admins)
        return AdminList(sorted(self.admins.configured), added)

    async def add_admin(self, user_id: int, by: Actor) -> AdminChange | Denied:
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        added = await asyncio.to_thread(
            self.store.add_admin, user_id, by=by.user_id, now=self.clock()
        )
        self.admins.forget()
        if added:
            await self.audit.record(by, "admin_add", str(user_id))
        return AdminChange(added, [])

    async def remove_admin(self, user_id: int, by: Actor) -> AdminChange | AdminRefusal | Denied:
        """Remove an added admin and pause the schedules they set (they must not keep running
        in the name of someone who is no longer an admin); the remaining admins are told, with
        a button to take them over."""
        if not await self.admins.allows(by):
            return Denied.NOT_ADMIN
        if user_id in self.admins.configured:
            return AdminRefusal.IN_CONFIG
        removed = await asyncio.to_thread(self.store.remove_admin, user_id)
        self.admins.forget()
        if not removed:
            return AdminChange(False, [])
        # their web panel sessions and unused login links end now, not at their next request
        await asyncio.to_thread(LoginQueries(self.store).end_sessions_of, user_id, now=self.clock())
        paused = await self.schedules.pause_schedules_of(user_id)
        if paused:
            await self.audit.record(
                by, "schedules_pause", f"{user_id} " + ",".join(map(str, paused))
            )
        await self.audit.record(by, "admin_remove", str(user_id))
        return AdminChange(True, paused)
