"""Tables for what people do through the bot: admins added, the audit trail, admin-added feeds,
and broadcasts (drafts awaiting ✅ Kirim, sent at once or scheduled)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base, UTCDateTime


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
    image: Mapped[str | None] = mapped_column(
        String(2048)
    )  # a photo's file_id, with html as caption
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
