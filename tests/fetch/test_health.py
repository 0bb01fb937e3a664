"""A feed's health record after each kind of check, and the status shown for it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.fetch.health import FeedCheck, FeedRecord, after_check, status

NOW = datetime(2024, 2, 14, 8, 0, tzinfo=UTC)
NEXT = NOW + timedelta(minutes=5)
BEFORE = FeedRecord(
    etag='"old"',
    last_modified="Tue, 13 Feb 2024 08:00:00 GMT",
    body_hash="old-hash",
    ttl_seconds=600,
    title="Humas",
    items_seen=4,
    failures=2,
    last_error="HTTP 500",
    last_success_at=NOW - timedelta(days=1),
)


def test_a_new_body_replaces_the_validators_and_counts_its_items():
    check = FeedCheck(1, "ok", NEXT, etag='"new"', body_hash="h", new_items=3, title="Baru")
    after = after_check(BEFORE, check, NOW)
    assert (after.failures, after.last_error, after.last_success_at) == (0, None, NOW)
    assert (after.etag, after.last_modified, after.body_hash) == ('"new"', None, "h")
    assert (after.items_seen, after.title, after.ttl_seconds) == (7, "Baru", None)
    assert (after.last_checked_at, after.next_check_at) == (NOW, NEXT)


def test_an_unchanged_feed_keeps_its_validators_and_body():
    after = after_check(BEFORE, FeedCheck(1, "unchanged", NEXT), NOW)
    assert (after.etag, after.last_modified) == (BEFORE.etag, BEFORE.last_modified)
    assert (after.body_hash, after.items_seen, after.title) == ("old-hash", 4, "Humas")
    assert (after.failures, after.last_error) == (0, None)


def test_a_failure_counts_and_keeps_the_error_cut_short():
    after = after_check(BEFORE, FeedCheck(1, "failed", NEXT, error="x" * 5000), NOW)
    assert (after.failures, after.last_error) == (3, "x" * 1000)
    assert after.last_success_at == BEFORE.last_success_at
    assert (after.etag, after.body_hash) == (BEFORE.etag, None)  # not the body's fault


def test_a_body_that_failed_to_parse_keeps_its_validators():
    check = FeedCheck(1, "failed", NEXT, etag='"bad"', body_hash="bad", error="XML")
    after = after_check(BEFORE, check, NOW)
    assert (after.etag, after.last_modified, after.body_hash) == ('"bad"', None, "bad")


def test_a_feed_that_is_gone_is_never_due_again():
    after = after_check(BEFORE, FeedCheck(1, "gone", NEXT, error="HTTP 410 Gone"), NOW)
    assert (after.gone_at, after.next_check_at, after.failures) == (NOW, None, 3)


@pytest.mark.parametrize(
    ("gone", "enabled", "failures", "expected"),
    [
        (False, True, 0, "ok"),
        (False, True, 2, "failing"),
        (False, False, 2, "disabled"),
        (True, True, 1, "gone"),
        (True, False, 1, "gone"),
    ],
)
def test_status(gone: bool, enabled: bool, failures: int, expected: str):
    assert status(gone=gone, enabled=enabled, failures=failures) == expected
