"""Tables that let several instances share one database: role leases and story keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base, UTCDateTime


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
