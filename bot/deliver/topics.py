"""Which chats take an item by topic: a pure rule, applied when an item joins the outbox.

A chat may follow one topic only (a subscriber's /langganan TOPIK); a chat without one takes
every election item.
"""

from __future__ import annotations

from collections.abc import Collection


def takes(topic: str | None, item_topics: Collection[str]) -> bool:
    """Whether a chat following `topic` (None: every topic) takes an item of `item_topics`."""
    return topic is None or topic in item_topics
