"""Plain values for the bot's own tables (subscriptions, admin lists, broadcasts, search)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ChannelListing:
    id: int
    chat_id: str
    name: str | None
    kind: str
    topic: str | None
    active: bool
    in_config: bool
    inactive_reason: str | None


@dataclass(frozen=True, slots=True)
class FeedListing:
    id: int
    url: str
    name: str | None
    enabled: bool
    failures: int
    last_success: datetime | None
    last_checked: datetime | None
    added_by_admin: bool


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    user_id: int
    user_name: str | None
    chat_id: int | None
    action: str
    detail: str


@dataclass(frozen=True, slots=True)
class Draft:
    """What an admin asked to broadcast, before ✅ Kirim."""

    html: str
    image: str | None
    targets: tuple[str, ...] | None  # None: every active channel
    run_at: datetime | None  # None: at once
    repeat: str  # once | daily | weekly
    content: str  # text | digest
    timezone: str
    created_by: int
    created_by_name: str | None
    created_in: int


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: int
    status: str
    draft: Draft
    runs: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PublicPost:
    """A post the public may see (see bot.storage.public): its words for lists and search, and
    the post itself for /terbaru."""

    item_id: int
    title: str
    text: str
    link: str | None
    source: str | None
    time: datetime
    html: str
    caption: str | None = None
    image: str | None = None


@dataclass(frozen=True)
class Progress:
    sent: int
    failed: int
    waiting: int  # pending to active channels
    total: int

    @property
    def done(self) -> bool:
        return self.waiting == 0
