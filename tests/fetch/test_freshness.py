"""Which items found in a feed may ever be posted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.fetch.freshness import is_postable
from bot.models import Item

NOW = datetime(2024, 2, 14, 8, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _item(published: datetime | None) -> Item:
    return Item(uid="u", title="t", link=None, published=published, summary="", content="")


@pytest.mark.parametrize(
    ("published", "feed_is_new", "expected"),
    [
        (NOW - timedelta(hours=1), False, True),
        (NOW - timedelta(hours=1), True, True),  # fresh on a first fetch too
        (NOW - DAY, False, True),  # exactly max_age old
        (NOW - DAY - timedelta(seconds=1), False, False),
        (None, False, True),  # undated on a feed already followed: news
        (None, True, False),  # undated on a first fetch: could be an archive
    ],
)
def test_is_postable(published: datetime | None, feed_is_new: bool, expected: bool):
    assert is_postable(_item(published), now=NOW, max_age=DAY, feed_is_new=feed_is_new) is expected
