"""Feeds: the list to follow, what is due, and each feed's health record."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from bot.settings import FeedConfig
from bot.storage.base import HasSession
from bot.storage.tables import FeedRow
from bot.storage.views import FeedHealth, FeedState


def _state(row: FeedRow) -> FeedState:
    return FeedState(
        id=row.id,
        url=row.url,
        name=row.name,
        interval=timedelta(seconds=row.interval_seconds),
        etag=row.etag,
        last_modified=row.last_modified,
        failures=row.failures,
        fulltext=row.fulltext,
    )


class FeedQueries:
    def sync_feeds(self: HasSession, feeds: Sequence[FeedConfig]) -> None:
        """Make the feeds table follow the config: add new feeds, update names and intervals,
        disable the ones no longer listed (their items and history stay)."""
        wanted = {feed.url: feed for feed in feeds}
        with self.session() as session:
            rows = {row.url: row for row in session.scalars(select(FeedRow))}
            for url, feed in wanted.items():
                row = rows.get(url) or FeedRow(url=url, failures=0, items_seen=0)
                row.name = feed.name
                row.interval_seconds = int(feed.interval.total_seconds())
                row.enabled = feed.enabled
                row.fulltext = feed.fulltext
                session.add(row)
            for url, row in rows.items():
                if url not in wanted:
                    row.enabled = False

    def due_feeds(self: HasSession, now: datetime, *, every: bool = False) -> list[FeedState]:
        """Enabled feeds whose next check time has come (never-checked feeds are due)."""
        query = select(FeedRow).where(FeedRow.enabled.is_(True)).order_by(FeedRow.id)
        if not every:
            query = query.where(or_(FeedRow.next_check_at.is_(None), FeedRow.next_check_at <= now))
        with self.session() as session:
            return [_state(row) for row in session.scalars(query)]

    def record_success(
        self: HasSession,
        feed_id: int,
        *,
        now: datetime,
        next_check: datetime,
        etag: str | None,
        last_modified: str | None,
        new_items: int,
        title: str | None = None,
    ) -> None:
        with self.session() as session:
            row = session.get_one(FeedRow, feed_id)
            row.etag, row.last_modified = etag, last_modified
            row.last_checked_at = row.last_success_at = now
            row.next_check_at = next_check
            row.last_error, row.failures = None, 0
            row.items_seen += new_items
            row.title = title or row.title

    def record_not_modified(
        self: HasSession, feed_id: int, *, now: datetime, next_check: datetime
    ) -> None:
        values = {
            "last_checked_at": now,
            "last_success_at": now,
            "next_check_at": next_check,
            "last_error": None,
            "failures": 0,
        }
        with self.session() as session:
            session.execute(update(FeedRow).where(FeedRow.id == feed_id).values(**values))

    def record_failure(
        self: HasSession, feed_id: int, *, now: datetime, next_check: datetime, error: str
    ) -> int:
        """Store the error and return the number of consecutive failures."""
        with self.session() as session:
            row = session.get_one(FeedRow, feed_id)
            row.last_checked_at, row.next_check_at = now, next_check
            row.last_error = error[:1000]
            row.failures += 1
            return row.failures

    def feed_health(self: HasSession) -> list[FeedHealth]:
        with self.session() as session:
            return [
                FeedHealth(
                    url=row.url,
                    name=row.name or row.title,
                    enabled=row.enabled,
                    last_success=row.last_success_at,
                    last_error=row.last_error,
                    failures=row.failures,
                    items=row.items_seen,
                    next_check=row.next_check_at,
                )
                for row in session.scalars(select(FeedRow).order_by(FeedRow.id))
            ]
