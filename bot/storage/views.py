"""Plain values the store hands out, so no ORM row leaves the storage package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


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


@dataclass(frozen=True, slots=True)
class NewItem:
    """An item stored for the first time, to be analysed when postable."""

    id: int
    uid: str
    feed_id: int
    postable: bool


@dataclass(frozen=True, slots=True)
class StoredPost:
    item_id: int
    title: str
    link: str | None
    published: datetime | None
    html: str
    caption: str | None
    image: str | None


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
