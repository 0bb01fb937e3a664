"""Plain values the store hands out, so no ORM row leaves the storage package."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.models import Analysis, Post

if TYPE_CHECKING:
    from bot.editorial.plan import Plan


@dataclass(frozen=True, slots=True)
class FeedState:
    id: int
    url: str
    name: str | None
    interval: timedelta
    etag: str | None
    last_modified: str | None
    failures: int
    fulltext: bool = False
    body_hash: str | None = None  # SHA-256 of the last body parsed
    ttl_seconds: int | None = None  # the feed's RSS <ttl>, a lower bound on the interval
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class NewItem:
    """An item stored for the first time, to be analysed when postable."""

    id: int
    uid: str
    feed_id: int
    postable: bool


@dataclass(frozen=True, slots=True)
class FeedCheck:
    """What one check of a feed found, written back in one batch at the end of a cycle.

    outcome: "ok" (a body was parsed), "unchanged" (304 or the same body as last time),
    "failed" (``error`` says why) or "gone" (410: the feed is switched off)."""

    feed_id: int
    outcome: str
    next_check: datetime
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    ttl_seconds: int | None = None
    new_items: int = 0
    title: str | None = None
    error: str | None = None
    moved_to: str | None = None  # the new URL after a permanent redirect


@dataclass(frozen=True, slots=True)
class Analysed:
    """An item's analysis and post, ready to be stored (and queued when it is election news)."""

    item_id: int
    analysis: Analysis
    post: Post
    channel_posts: Mapping[str, Post] = field(default_factory=dict)  # by chat id
    content: str | None = None  # the article's text when read from its page
    plan: Plan | None = None  # per channel: send, wait for review, or filtered out


@dataclass(frozen=True, slots=True)
class StoryCandidate:
    """A recently stored, postable item as the duplicate detector knows it."""

    item_id: int
    story_id: int
    canonical_url: str | None
    minhash: bytes | None


@dataclass(frozen=True, slots=True)
class FeedHealth:
    url: str
    name: str | None
    enabled: bool
    last_success: datetime | None
    last_error: str | None
    failures: int
    items: int
    next_check: datetime | None
    gone: bool = False  # answered 410 Gone: switched off until its URL changes in the config
    config_url: str | None = None  # the URL in the config when a permanent redirect moved it

    @property
    def status(self) -> str:
        """ok, failing, gone or disabled."""
        if self.gone:
            return "gone"
        if not self.enabled:
            return "disabled"
        return "failing" if self.failures else "ok"
