"""Tables of editorial control: reviews, pauses, corrections and retractions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base, UTCDateTime


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
