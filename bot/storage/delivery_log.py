"""The delivery log: every outcome of every send attempt, and every change of a channel's state
(deactivated, enabled), kept apart from the outbox rows it describes and pruned by age.

The pacer reads it after a restart, or when another instance takes over sending, to count what
Telegram may already have received; `humasbot deliveries` and the tests read its entries.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from bot.models import SendOutcome
from bot.storage.base import HasSession, rowcount
from bot.storage.schema import DeliveryEventRow, DeliveryRow

_NUMERIC = re.compile(r"^-?\d+$")
# Log outcomes of sends Telegram may have counted (not 429s, holds, channel state changes).
_REACHED_TELEGRAM = (
    "sent",
    "sent_plain",
    "retry",
    "failed",
    "channel_gone",
    "migrated",
    "requeued",
)


def chat_id_value(stored: str) -> int | str:
    return int(stored) if _NUMERIC.match(stored) else stored


def delivery_event(
    row: DeliveryRow | None, chat_id: int | str, outcome: str, now: datetime, **extra: Any
) -> DeliveryEventRow:
    """A delivery log entry: of `row`, or of a channel (``channel_id=``) when there is no row."""
    return DeliveryEventRow(
        at=now,
        delivery_id=row.id if row else None,
        channel_id=row.channel_id if row else extra.pop("channel_id", None),
        item_id=row.item_id if row else None,
        chat_id=str(chat_id),
        outcome=outcome,
        **extra,
    )


def outcome_name(outcome: SendOutcome) -> str:
    """The log's outcome for a send's answer."""
    if outcome.rate_limited:
        return "rate_limited"
    if outcome.status == "sent" and outcome.plain_text_fallback:
        return "sent_plain"
    return outcome.status


class DeliveryLogQueries:
    def recent_send_log(self: HasSession, since: datetime) -> list[tuple[int | str, datetime]]:
        """(chat_id, at) of every send Telegram may have received since `since`, oldest first:
        the ones answered, the ones whose answer was lost, and the ones in flight when their
        worker died or stopped (logged when requeued, after they left). For the pacer after a
        restart, or when another instance takes over sending."""
        query = (
            select(DeliveryEventRow.chat_id, DeliveryEventRow.at)
            .where(DeliveryEventRow.at >= since, DeliveryEventRow.outcome.in_(_REACHED_TELEGRAM))
            .order_by(DeliveryEventRow.at, DeliveryEventRow.id)
        )
        with self.session() as session:
            return [(chat_id_value(chat_id), at) for chat_id, at in session.execute(query)]

    def delivery_log(
        self: HasSession, delivery_id: int | None = None, chat_id: int | str | None = None
    ) -> list[tuple[str, str, str | None]]:
        """(chat_id, outcome, error) entries of the log, oldest first."""
        query = select(DeliveryEventRow.chat_id, DeliveryEventRow.outcome, DeliveryEventRow.error)
        if delivery_id is not None:
            query = query.where(DeliveryEventRow.delivery_id == delivery_id)
        if chat_id is not None:
            query = query.where(DeliveryEventRow.chat_id == str(chat_id))
        with self.session() as session:
            rows = session.execute(query.order_by(DeliveryEventRow.id))
            return [(chat, outcome, error) for chat, outcome, error in rows]

    def prune_delivery_log(self: HasSession, before: datetime) -> int:
        with self.session() as session:
            return rowcount(
                session.execute(delete(DeliveryEventRow).where(DeliveryEventRow.at < before))
            )
