"""A character reference no string may hold (a lone surrogate, a code point past U+10FFFF, a
number too long for any) spoils one field, not the whole feed."""

from __future__ import annotations

import pytest

from bot.parse import parse_feed

BAD = [
    "&#xD800;",
    "&#55296;",
    "&#x0000DFFF;",
    "&#xD800;&#xDC00;",
    "&#x110000;",
    "&#9" + "9" * 30 + ";",
]


def two_items(title: str, encoding: str = "UTF-8") -> bytes:
    document = (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>KPU {title} rapat</title><link>https://a.example/1</link></item>"
        "<item><title>Bawaslu</title><link>https://a.example/2</link></item></channel></rss>"
    )
    return document.encode(encoding.lower())


@pytest.mark.parametrize("reference", BAD)
def test_a_bad_character_reference_spoils_one_title_only(reference: str) -> None:
    feed = parse_feed(two_items(reference), url="https://a.example/rss")
    assert feed.error is None
    first, second = feed.items
    assert first.title.startswith("KPU \ufffd") and first.title.endswith("rapat")
    assert second.title == "Bawaslu"


def test_a_lone_surrogate_in_a_utf16_feed_too() -> None:
    feed = parse_feed(two_items("&#xD800;", "UTF-16"), url="https://a.example/rss")
    assert [item.title for item in feed.items] == ["KPU \ufffd rapat", "Bawaslu"]


def test_good_references_are_untouched() -> None:
    feed = parse_feed(two_items("&#8211; &#x1F5F3; &#233;"), url="https://a.example/rss")
    assert feed.items[0].title == "KPU – 🗳 é rapat"
