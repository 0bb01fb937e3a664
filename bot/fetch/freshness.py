"""Which items found in a feed may ever be posted: a pure rule, applied when an item is first seen.

An item may be posted only if it was still fresh when first seen. Undated items count as fresh,
except on a feed's first fetch, where an undated archive cannot be told from today's news and
must not flood the channels.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.models import Item


def is_postable(item: Item, *, now: datetime, max_age: timedelta, feed_is_new: bool) -> bool:
    if item.published is None:
        return not feed_is_new
    return item.published >= now - max_age
