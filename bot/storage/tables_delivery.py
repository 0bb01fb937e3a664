"""The delivery log: every outcome of every send attempt, and every change of a channel's state.

Plain integer references (no foreign keys): the log outlives the deliveries and channels it
describes, and is pruned by age.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base, UTCDateTime


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
