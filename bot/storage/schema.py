"""The schema: every table, as SQLAlchemy 2 declarative classes, in one place.

Pipeline tables (feeds, items, quotes, story keys), delivery tables (channels, the outbox, its
log), editorial records (reviews, pauses, corrections, retractions), what people do through the
bot (admins, the audit trail, admin-added feeds, broadcasts, awaited button presses), and what
several instances share (leases). `bot.storage.db` creates and migrates them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
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
    false,
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
    # An admin broadcast's run (an item of the broadcast pseudo-feed): never held by a pause.
    is_broadcast: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
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


# --- what several instances share ---------------------------------------------------------------


class LeaseRow(Base):
    """One-at-a-time work (receiving updates, firing schedules, sending): its holder until
    ``expires_at``; the holder renews it, anyone may take it once it has run out."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # one more at each change of holder (None on a row from before it was kept: 0)
    generation: Mapped[int | None] = mapped_column(Integer)


class StoryKeyRow(Base):
    """A story's identity across instances: the SHA-256 of its canonical link or of its words.

    The primary key decides which of two instances that find copies of one story at the same
    moment posts it: the second insert conflicts and its item becomes a duplicate."""

    __tablename__ = "story_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    story_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# --- the delivery log ---------------------------------------------------------------------------
# Every outcome of every send attempt, and every change of a channel's state. Plain integer
# references (no foreign keys): the log outlives the deliveries and channels it describes, and is
# pruned by age.


class DeliveryEventRow(Base):
    """outcome: sent, retry (transient), rate_limited (429), failed, channel_gone, migrated,
    requeued (a claim released: its worker died or stopped), deactivated, enabled."""

    __tablename__ = "delivery_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    delivery_id: Mapped[int | None] = mapped_column(Integer, index=True)
    channel_id: Mapped[int | None] = mapped_column(Integer, index=True)
    item_id: Mapped[int | None] = mapped_column(Integer)
    chat_id: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(24))
    error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[int | None] = mapped_column(Integer)
    worker: Mapped[str | None] = mapped_column(String(100))


# --- editorial records --------------------------------------------------------------------------


class ReviewRow(Base):
    """A post waiting for an admin's yes before it reaches some channels."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    chat_ids: Mapped[list[str]] = mapped_column(JSON, default=list)  # the channels it would reach
    reasons: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # chat id -> why review
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)  # Telegram user ids pass 2^31
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # admins were shown it


class PauseRow(Base):
    """Automatic posts held for all channels (chats None) or some, until a time or /lanjut."""

    __tablename__ = "pauses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chats: Mapped[list[str] | None] = mapped_column(JSON)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_by: Mapped[int | None] = mapped_column(BigInteger)


class CorrectionRow(Base):
    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    old_html: Mapped[str] = mapped_column(Text)
    new_html: Mapped[str] = mapped_column(Text)
    by: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    results: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # chat id -> outcome


class RetractionRow(Base):
    __tablename__ = "retractions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    by: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    results: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # chat id -> outcome


# --- what people do through the bot -------------------------------------------------------------


class AdminRow(Base):
    """An admin added by another admin (the config's admins are not stored)."""

    __tablename__ = "bot_admins"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    added_by: Mapped[int] = mapped_column(BigInteger)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditRow(Base):
    """Who did what, when: one row per admin action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    user_name: Mapped[str | None] = mapped_column(String(200))
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")


class AdminFeedRow(Base):
    """A feed an admin added with /sumber tambah; merged with the config's feeds at start."""

    __tablename__ = "admin_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    added_by: Mapped[int] = mapped_column(BigInteger)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BroadcastRow(Base):
    """One /siarkan or /jadwal: a draft until ✅ Kirim, then pending until it runs.

    status: draft -> pending -> done | cancelled | missed (recurring ones stay pending and move
    run_at forward); pending -> paused when the admin who set it is removed, and back to pending
    when another admin takes it over. repeat: once | daily | weekly. content: text | digest.
    """

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    repeat: Mapped[str] = mapped_column(String(16), default="once")
    content: Mapped[str] = mapped_column(String(16), default="text")
    html: Mapped[str] = mapped_column(Text, default="")
    image: Mapped[str | None] = mapped_column(String(2048))  # a photo's file_id; html: caption
    targets: Mapped[list[str] | None] = mapped_column(JSON)  # chat ids; None = every channel
    run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # None = at once
    timezone: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_by_name: Mapped[str | None] = mapped_column(String(200))
    created_in: Mapped[int] = mapped_column(BigInteger)  # the chat the admin wrote in
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    runs: Mapped[int] = mapped_column(Integer, default=0)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ConfirmationRow(Base):
    """A button press the bot waits for, kept here so any instance, or the bot after a restart,
    can answer it: a /tarik or /koreksi awaiting ✅, or a long /cari query for its ◀ ▶ pages.

    kind: "tr" (retract), "kr" (correct), "cari" (search pages). A confirmation is used once
    (used_at), a search page any number of times; both stop working at expires_at.
    """

    __tablename__ = "confirmations"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# --- web panel logins (bot.storage.logins) -------------------------------------------------


class PanelLinkRow(Base):
    """A login link sent to an admin by the bot (`/panel`)."""

    __tablename__ = "panel_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    user_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PanelSessionRow(Base):
    """A browser logged in to the panel: its cookie's hash, whose it is, its CSRF token."""

    __tablename__ = "panel_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    user_name: Mapped[str | None] = mapped_column(String(200))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# --- migrations ---------------------------------------------------------------------------------


class SchemaVersion(Base):
    __tablename__ = "schema_version"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)


def utcnow() -> datetime:
    return datetime.now(UTC)
