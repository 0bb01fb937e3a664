"""Feeds: the list to follow (the config's and those admins added), what is due, which instance
checks each one, and each feed's health record.

A feed row keeps the URL the config lists (``config_url``) apart from the URL it is fetched
from (``url``), which follows permanent redirects; the config keeps matching the row either
way. A feed that answered 410 Gone (``gone_at``) is never due again until the config lists
another URL for it. How a check changes the record is the fetch stage's rule
(`bot.fetch.health`). Admin broadcasts are items of a pseudo-feed that is never fetched and
never listed (see bot.storage.broadcasts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot.fetch import health
from bot.fetch.health import FeedCheck, FeedRecord
from bot.settings import FeedConfig
from bot.storage.base import BROADCAST_FEED_URL, HasSession, chunks, rowcount, write_session
from bot.storage.clock import lease_clock
from bot.storage.retry import retrying
from bot.storage.schema import AdminFeedRow, FeedRow

__all__ = ["FeedCheck", "FeedListing", "FeedQueries", "FeedState"]


@dataclass(frozen=True, slots=True)
class FeedState:
    """A feed as the poller checks it."""

    id: int
    url: str
    name: str | None
    interval: timedelta
    etag: str | None
    last_modified: str | None
    failures: int
    fulltext: bool = False
    body_hash: str | None = None  # SHA-256 of the last body parsed
    ttl_seconds: int | None = None  # the feed's RSS <ttl>, a lower bound on the interval
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class FeedListing:
    """A feed's line in the lists and health reports (`humasbot feeds`, /sumber)."""

    id: int
    url: str
    name: str | None
    enabled: bool
    failures: int
    last_success: datetime | None
    last_checked: datetime | None
    last_error: str | None
    items: int
    next_check: datetime | None
    gone: bool = False  # answered 410 Gone: switched off until its URL changes in the config
    config_url: str | None = None  # the URL in the config when a permanent redirect moved it
    added_by_admin: bool = False  # with /sumber tambah, not from the config

    @property
    def status(self) -> health.Status:
        """ok, failing, gone or disabled."""
        return health.status(gone=self.gone, enabled=self.enabled, failures=self.failures)


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
        body_hash=row.body_hash,
        ttl_seconds=row.ttl_seconds,
        last_error=row.last_error,
    )


def _listing(row: FeedRow, added: set[str]) -> FeedListing:
    return FeedListing(
        id=row.id,
        url=row.url,
        name=row.name or row.title,
        enabled=row.enabled,
        failures=row.failures,
        last_success=row.last_success_at,
        last_checked=row.last_checked_at,
        last_error=row.last_error,
        items=row.items_seen,
        next_check=row.next_check_at,
        gone=row.gone_at is not None,
        config_url=row.config_url if row.config_url != row.url else None,
        added_by_admin=row.url in added,
    )


class FeedQueries:
    def feed_urls(self: HasSession) -> dict[int, str]:
        with self.session() as session:
            return {
                feed_id: url for feed_id, url in session.execute(select(FeedRow.id, FeedRow.url))
            }

    def sync_feeds(self: HasSession, feeds: Sequence[FeedConfig]) -> None:
        """Make the feeds table follow the config: add new feeds, update names and intervals,
        disable the ones no longer listed (their items and history stay)."""
        wanted = {feed.url: feed for feed in feeds}
        with self.session() as session:
            rows = list(session.scalars(select(FeedRow)))
            by_config = {row.config_url or row.url: row for row in rows}
            by_url = {row.url: row for row in rows}
            listed: set[int] = set()
            for url, feed in wanted.items():
                row = by_config.get(url) or by_url.get(url)
                if row is None:
                    row = FeedRow(url=url, failures=0, items_seen=0)
                    session.add(row)
                row.config_url = url
                row.name = feed.name
                row.interval_seconds = int(feed.interval.total_seconds())
                row.enabled = feed.enabled
                row.fulltext = feed.fulltext
                listed.add(id(row))
            for row in rows:
                if id(row) not in listed:
                    row.enabled = False

    def due_feeds(self: HasSession, now: datetime, *, every: bool = False) -> list[FeedState]:
        """Enabled feeds whose next check time has come (never-checked feeds are due)."""
        query = (
            select(FeedRow)
            .where(FeedRow.enabled.is_(True), FeedRow.gone_at.is_(None))
            .order_by(FeedRow.id)
        )
        if not every:
            query = query.where(or_(FeedRow.next_check_at.is_(None), FeedRow.next_check_at <= now))
        with self.session() as session:
            return [_state(row) for row in session.scalars(query)]

    @retrying
    def claim_feeds(
        self: HasSession,
        holder: str,
        *,
        now: datetime,
        lease: timedelta,
        every: bool = False,
        limit: int | None = None,
        after: int = 0,
    ) -> list[FeedState]:
        """Up to `limit` of the due feeds (every enabled one with every=True), with ids above
        `after`, that no other instance is checking, claimed for `holder` for `lease`: of
        several instances polling one database, one checks each due feed, and each takes a batch
        at a time so that they share the work. A claim ends when the check is recorded
        (record_checks), or runs out when its instance died (renew_feed_claims keeps a live
        one's going). Claims are on the lease clock (bot.storage.clock); `now` says what is due.
        """
        with write_session(self) as session:
            clock = lease_clock(session, now)
            query = (
                select(FeedRow)
                .where(
                    FeedRow.enabled.is_(True),
                    FeedRow.gone_at.is_(None),
                    # not in check (its own too: a cycle claims more while some are in check)
                    or_(FeedRow.claimed_until.is_(None), FeedRow.claimed_until < clock),
                    FeedRow.id > after,
                )
                .order_by(FeedRow.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            if not every:
                query = query.where(
                    or_(FeedRow.next_check_at.is_(None), FeedRow.next_check_at <= now)
                )
            rows = session.scalars(query).all()
            for ids in chunks([row.id for row in rows]):
                session.execute(
                    update(FeedRow)
                    .where(FeedRow.id.in_(ids))
                    .values(claimed_by=holder, claimed_until=clock + lease)
                    .execution_options(synchronize_session=False)
                )
            return [_state(row) for row in rows]

    @retrying
    def renew_feed_claims(self: HasSession, holder: str, *, now: datetime, lease: timedelta) -> int:
        with self.session() as session:
            clock = lease_clock(session, now)
            return rowcount(
                session.execute(
                    update(FeedRow)
                    .where(FeedRow.claimed_by == holder, FeedRow.claimed_until.is_not(None))
                    .values(claimed_until=clock + lease)
                )
            )

    @retrying
    def release_feed_claims(self: HasSession, holder: str) -> int:
        """The feeds `holder` claimed but did not record (a cycle cut short) are free again."""
        with self.session() as session:
            result = session.execute(
                update(FeedRow)
                .where(FeedRow.claimed_by == holder)
                .values(claimed_by=None, claimed_until=None)
            )
            return rowcount(result)

    @retrying
    def record_checks(self: HasSession, checks: Iterable[FeedCheck], *, now: datetime) -> None:
        """Write what a cycle found for each feed, in one transaction; their claims end."""
        by_id = {check.feed_id: check for check in checks}
        with self.session() as session:
            for ids in chunks(list(by_id)):
                for row in session.scalars(select(FeedRow).where(FeedRow.id.in_(ids))):
                    _apply(session, row, by_id[row.id], now)

    def record_not_modified(
        self: HasSession, feed_id: int, *, now: datetime, next_check: datetime
    ) -> None:
        check = FeedCheck(feed_id, "unchanged", next_check)
        FeedQueries.record_checks(self, [check], now=now)

    def feed_health(self: HasSession) -> list[FeedListing]:
        """Every feed's record, in the order they were added (the broadcast pseudo-feed too)."""
        with self.session() as session:
            added = set(session.scalars(select(AdminFeedRow.url)))
            rows = session.scalars(select(FeedRow).order_by(FeedRow.id))
            return [_listing(row, added) for row in rows]

    def feed_list(self: HasSession) -> list[FeedListing]:
        """The feeds followed, config's and admins' alike (not the broadcast pseudo-feed)."""
        return [feed for feed in FeedQueries.feed_health(self) if feed.url != BROADCAST_FEED_URL]

    # --- feeds admins added -------------------------------------------------------------------

    def admin_feeds(self: HasSession) -> list[tuple[str, str | None]]:
        with self.session() as session:
            rows = session.scalars(select(AdminFeedRow).order_by(AdminFeedRow.id))
            return [(row.url, row.name) for row in rows]

    def add_admin_feed(
        self: HasSession, url: str, name: str | None, *, by: int, now: datetime
    ) -> bool:
        with self.session() as session:
            if session.scalar(select(AdminFeedRow).where(AdminFeedRow.url == url)) is not None:
                return False
            session.add(AdminFeedRow(url=url, name=name, added_by=by, added_at=now))
            return True

    def remove_admin_feed(self: HasSession, feed_id: int) -> str | None:
        """Forget an admin-added feed by its feed id; returns its URL, None when the feed is
        unknown or comes from the config."""
        with self.session() as session:
            url = session.scalar(select(FeedRow.url).where(FeedRow.id == feed_id))
            if url is None:
                return None
            gone = session.execute(delete(AdminFeedRow).where(AdminFeedRow.url == url))
            return url if rowcount(gone) else None


_RECORD = [f.name for f in fields(FeedRecord)]


def _apply(session: Session, row: FeedRow, check: FeedCheck, now: datetime) -> None:
    record = health.after_check(FeedRecord(**{n: getattr(row, n) for n in _RECORD}), check, now)
    for name in _RECORD:
        setattr(row, name, getattr(record, name))
    row.claimed_by, row.claimed_until = None, None
    if check.outcome in ("ok", "unchanged") and check.moved_to and check.moved_to != row.url:
        taken = session.scalar(select(FeedRow.id).where(FeedRow.url == check.moved_to))
        if taken is None:
            row.url = check.moved_to
