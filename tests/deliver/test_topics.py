"""Which chats take an item by topic."""

from __future__ import annotations

import pytest

from bot.deliver.topics import takes


@pytest.mark.parametrize(
    ("topic", "item_topics", "expected"),
    [
        (None, [], True),  # a chat without a topic takes every election item
        (None, ["pilpres"], True),
        ("pilpres", ["pilpres", "pileg"], True),
        ("pilpres", ["pileg"], False),
        ("pilpres", [], False),
    ],
)
def test_takes(topic: str | None, item_topics: list[str], expected: bool):
    assert takes(topic, item_topics) is expected
