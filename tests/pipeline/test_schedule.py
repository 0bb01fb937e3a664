import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.pipeline.schedule import JITTER, MAX_BACKOFF, next_check_at

NOW = datetime(2024, 2, 10, 8, 0, tzinfo=UTC)
FIVE = timedelta(minutes=5)


def wait(**kwargs) -> timedelta:
    return next_check_at(NOW, FIVE, rng=random.Random(1), **kwargs) - NOW


def within_jitter(actual: timedelta, expected: timedelta) -> bool:
    return expected <= actual <= expected * (1 + JITTER)


@pytest.mark.parametrize(
    ("failures", "expected"),
    [(0, FIVE), (1, FIVE * 2), (2, FIVE * 4), (5, FIVE * 32), (30, MAX_BACKOFF)],
)
def test_failures_back_off_exponentially_up_to_a_cap(failures, expected):
    assert within_jitter(wait(failures=failures), expected)


def test_retry_after_and_max_age_only_lengthen_the_wait():
    assert within_jitter(wait(retry_after=3600), timedelta(hours=1))
    assert within_jitter(wait(retry_after=10), FIVE)
    assert within_jitter(wait(min_interval=timedelta(minutes=30)), timedelta(minutes=30))
    assert within_jitter(wait(min_interval=timedelta(days=3)), MAX_BACKOFF)


def test_jitter_spreads_feeds_added_together():
    times = {next_check_at(NOW, FIVE, rng=random.Random(seed)) for seed in range(5)}
    assert len(times) == 5
