"""The schema, as SQLAlchemy 2 declarative tables."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC (SQLite has no time zones) and always gives back aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class FeedRow(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    interval_seconds: Mapped[int] = mapped_column(Integer, default=300)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    fulltext: Mapped[bool] = mapped_column(Boolean, default=False)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str | None] = mapped_column(String(500))
    # The URL as the config lists it; `url` follows permanent redirects (301/308).
    config_url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    body_hash: Mapped[str | None] = mapped_column(String(64))  # to skip unchanged bodies
    ttl_seconds: Mapped[int | None] = mapped_column(Integer)  # RSS <ttl>: a lower bound
    gone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # answered 410 Gone
    # The instance checking it now, until then (renewed while the check runs; see claim_feeds).
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ItemRow(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    guid: Mapped[str | None] = mapped_column(String(2048))
    link: Mapped[str | None] = mapped_column(String(2048))
    title: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    summary: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text, default="")
    image: Mapped[str | None] = mapped_column(String(2048))
    # Stored but never posted when it was already older than max_item_age when first seen.
    postable: Mapped[bool] = mapped_column(Boolean, default=True)
    analysed: Mapped[bool] = mapped_column(Boolean, default=False)
    is_election: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    hashtags: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    post_html: Mapped[str | None] = mapped_column(Text)
    post_caption: Mapped[str | None] = mapped_column(Text)
    # One story, one post: duplicates point at the story's first item (None = not deduplicated).
    canonical_url: Mapped[str | None] = mapped_column(String(2048), index=True)
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)  # MinHash signature, uint64s

    @property
    def sort_time(self) -> datetime:
        return self.published_at or self.first_seen_at


class QuoteRow(Base):
    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(String(300))
    key: Mapped[bool] = mapped_column(Boolean, default=False)


class ChannelRow(Base):
    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), unique=True)  # numeric id or @username
    name: Mapped[str | None] = mapped_column(String(200))
    # "channel": an agency channel from the config or added by an admin;
    # "subscriber": a private chat or group that subscribed with /langganan.
    kind: Mapped[str] = mapped_column(String(16), default="channel")
    topic: Mapped[str | None] = mapped_column(String(64))  # only items of this topic; None = all
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    in_config: Mapped[bool] = mapped_column(Boolean, default=True)
    inactive_reason: Mapped[str | None] = mapped_column(Text)
    inactive_since: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeliveryRow(Base):
    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("channel_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    # indexed: "was this item sent anywhere" decides what the public sees (bot.storage.public)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    # pending -> sending (claimed by one worker) -> sent | failed, or back to pending
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    message_id: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # transient failures; 429s not
    rate_limited: Mapped[int] = mapped_column(Integer, default=0)  # 429 answers seen
    claim_token: Mapped[str | None] = mapped_column(String(100))  # the worker sending it
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # renewed while it lives
    # the generation of the sender lease it was claimed under (None: claimed outside the role)
    claim_lease: Mapped[int | None] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # backoff; None = now
    # Held back by the channel's caps or quiet hours until then: such a row holds back only the
    # automatic posts behind it (which the same caps would hold), never an admin broadcast.
    held_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    plain_text: Mapped[bool] = mapped_column(Boolean, default=False)
    # The channel's own rendering of the post (its template); None means the item's post.
    post_html: Mapped[str | None] = mapped_column(Text)
    post_caption: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SchemaVersion(Base):
    __tablename__ = "schema_version"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)


def utcnow() -> datetime:
    return datetime.now(UTC)
