"""When to check a feed next: pure maths on `now`, tested without a clock."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

MAX_BACKOFF = timedelta(hours=6)
JITTER = 0.1  # up to 10% of the interval, so feeds added together do not stay in lockstep


def next_check_at(
    now: datetime,
    interval: timedelta,
    *,
    failures: int = 0,
    retry_after: float | None = None,
    min_interval: timedelta | None = None,
    rng: random.Random | None = None,
) -> datetime:
    """The next check time after a fetch.

    failures: consecutive failures including this one; the wait doubles with each, capped.
    retry_after / min_interval (from Retry-After, Cache-Control max-age or RSS ttl) are lower
    bounds, never shortening the wait.
    """
    wait = interval
    if failures > 0:
        wait = min(interval * (2 ** min(failures, 16)), MAX_BACKOFF)
    if min_interval is not None:
        wait = max(wait, min(min_interval, MAX_BACKOFF))
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=min(retry_after, MAX_BACKOFF.total_seconds())))
    jitter = (rng or random).uniform(0, JITTER) * wait
    return now + wait + jitter
