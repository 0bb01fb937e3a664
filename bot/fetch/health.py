"""A feed's health record and how one check changes it: pure rules, no I/O.

A failure (or 410 Gone) counts one more consecutive failure and keeps the error; a feed that
answered 410 is switched off (never due) until the config lists another URL for it. A success
clears the failures and the error. The validators (ETag, Last-Modified) are kept on a 304 or an
unchanged body, replaced on a new body, and also kept after a failure the body itself caused (so
a 304 to them means "still broken", not "fine").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

Status = Literal["ok", "failing", "gone", "disabled"]
ERROR_CHARS = 1000  # of an error kept on the feed's record


@dataclass(frozen=True, slots=True)
class FeedCheck:
    """What one check of a feed found, written back in one batch at the end of a cycle.

    outcome: "ok" (a body was parsed), "unchanged" (304 or the same body as last time),
    "failed" (``error`` says why) or "gone" (410: the feed is switched off)."""

    feed_id: int
    outcome: str
    next_check: datetime
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    ttl_seconds: int | None = None
    new_items: int = 0
    title: str | None = None
    error: str | None = None
    moved_to: str | None = None  # the new URL after a permanent redirect


@dataclass(frozen=True, slots=True)
class FeedRecord:
    """What a feed's row remembers of its checks."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None  # SHA-256 of the last body parsed (or that failed to parse)
    ttl_seconds: int | None = None
    title: str | None = None
    items_seen: int = 0
    failures: int = 0  # in a row
    last_error: str | None = None
    last_checked_at: datetime | None = None
    last_success_at: datetime | None = None
    next_check_at: datetime | None = None
    gone_at: datetime | None = None


def after_check(record: FeedRecord, check: FeedCheck, now: datetime) -> FeedRecord:
    """The record once `check` is written at `now` (a move to another URL is the caller's)."""
    checked = replace(record, last_checked_at=now, next_check_at=check.next_check)
    if check.outcome in ("failed", "gone"):
        return _failed(checked, check, now)
    kept = check.outcome == "unchanged"
    success = replace(
        checked,
        last_success_at=now,
        last_error=None,
        failures=0,
        etag=check.etag or (record.etag if kept else None),
        last_modified=check.last_modified or (record.last_modified if kept else None),
    )
    if check.outcome != "ok":
        return success
    return replace(
        success,
        body_hash=check.body_hash,
        ttl_seconds=check.ttl_seconds,
        items_seen=record.items_seen + check.new_items,
        title=check.title or record.title,
    )


def _failed(record: FeedRecord, check: FeedCheck, now: datetime) -> FeedRecord:
    failed = replace(
        record,
        last_error=(check.error or "unknown error")[:ERROR_CHARS],
        failures=record.failures + 1,
        body_hash=check.body_hash,  # set when the body itself was the problem
    )
    if check.body_hash:  # then its validators too
        failed = replace(failed, etag=check.etag, last_modified=check.last_modified)
    if check.outcome == "gone":
        failed = replace(failed, gone_at=now, next_check_at=None)
    return failed


def status(*, gone: bool, enabled: bool, failures: int) -> Status:
    """ok, failing (failed last time), gone (410: off until its URL changes) or disabled."""
    if gone:
        return "gone"
    if not enabled:
        return "disabled"
    return "failing" if failures else "ok"
