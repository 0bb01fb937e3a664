"""The outbox: one row per (channel, item), written before any send, updated after each."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select

from bot.models import DeliveryJob, Post, SendOutcome
from bot.storage.base import HasSession
from bot.storage.tables import ChannelRow, DeliveryRow, ItemRow

_NUMERIC = re.compile(r"^-?\d+$")


def chat_id_value(stored: str) -> int | str:
    return int(stored) if _NUMERIC.match(stored) else stored


def _post(delivery: DeliveryRow, item: ItemRow) -> Post:
    """The channel's own rendering when it has one, else the item's post."""
    if delivery.post_html:
        return Post(html=delivery.post_html, image=item.image, caption=delivery.post_caption)
    return Post(html=item.post_html or "", image=item.image, caption=item.post_caption)


class DeliveryQueries:
    def pending_jobs(self: HasSession, limit: int | None = None) -> list[DeliveryJob]:
        """Pending deliveries to active channels, oldest post first."""
        sort_time = func.coalesce(ItemRow.published_at, ItemRow.first_seen_at)
        query = (
            select(DeliveryRow, ChannelRow.chat_id, ItemRow)
            .join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id)
            .join(ItemRow, ItemRow.id == DeliveryRow.item_id)
            .where(DeliveryRow.status == "pending", ChannelRow.active.is_(True))
            .order_by(sort_time, ItemRow.id, DeliveryRow.id)
            .limit(limit)
        )
        with self.session() as session:
            return [
                DeliveryJob(
                    delivery_id=delivery.id,
                    chat_id=chat_id_value(chat_id),
                    post=_post(delivery, item),
                    attempts=delivery.attempts,
                    meta={"item_id": str(item.id)},
                )
                for delivery, chat_id, item in session.execute(query)
            ]

    def record_outcome(
        self: HasSession,
        job: DeliveryJob,
        outcome: SendOutcome,
        *,
        now: datetime,
        max_attempts: int,
    ) -> str:
        """Commit what happened to one send; returns the delivery's status now.

        A 429 is not an attempt. A transient failure stays pending until max_attempts.
        """
        with self.session() as session:
            row = session.get_one(DeliveryRow, job.delivery_id)
            if outcome.status == "sent":
                row.status, row.message_id, row.sent_at = "sent", outcome.message_id, now
                row.plain_text = outcome.plain_text_fallback
                row.last_error = outcome.error
            elif outcome.status == "retry":
                if not outcome.rate_limited:
                    row.attempts += 1
                row.last_error = outcome.error
                if row.attempts >= max_attempts:
                    row.status = "failed"
            elif outcome.status == "failed":
                row.attempts += 1
                row.status, row.last_error = "failed", outcome.error
            else:  # channel_gone, migrated: the channel's state changes, the delivery stays pending
                row.last_error = outcome.error
            return row.status

    def delivery_counts(self: HasSession) -> dict[str, dict[str, int]]:
        """Per chat: how many deliveries are in each status."""
        query = (
            select(ChannelRow.chat_id, DeliveryRow.status, func.count())
            .join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id)
            .group_by(ChannelRow.chat_id, DeliveryRow.status)
        )
        counts: dict[str, dict[str, int]] = {}
        with self.session() as session:
            for chat_id, status, count in session.execute(query):
                counts.setdefault(chat_id, {})[status] = count
        return counts
