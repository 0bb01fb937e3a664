"""Retry-After and Cache-Control parsing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.fetch.headers import max_age_seconds, retry_after_seconds

NOW = datetime(2025, 10, 22, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Wed, 22 Oct 2025 05:01:30 GMT", 90.0),
        ("Wed, 22 Oct 2025 04:00:00 GMT", 0.0),  # in the past: do not wait
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after(value: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(value, now=NOW) == seconds


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("max-age=300", 300),
        ("public, max-age=60, must-revalidate", 60),
        ('max-age="900"', 900),
        ("s-maxage=10, max-age=100", 100),
        ("no-cache", None),
        ("max-age=abc", None),
        (None, None),
    ],
)
def test_max_age(value: str | None, seconds: int | None) -> None:
    assert max_age_seconds(value) == seconds
