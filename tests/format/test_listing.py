"""Bounded list fields and feed URLs as people may see them."""

from __future__ import annotations

import pytest

from bot.format.listing import field, linked, pages, shown_url


@pytest.mark.parametrize(
    ("url", "public", "admin"),
    [
        (
            "http://user:pass@host.example:8080/f.xml?token=abc&x=1#frag",
            "http://host.example:8080/f.xml",
            "http://host.example:8080/f.xml?token=***&x=***",
        ),
        ("https://a.example/rss", "https://a.example/rss", "https://a.example/rss"),
        ("https://[::1]:81/f?k", "https://[::1]:81/f", "https://[::1]:81/f?k=***"),
        ("http://u@[bad/f?t=1", "http://[bad/f", "http://[bad/f"),
    ],
)
def test_feed_urls_never_show_credentials(url: str, public: str, admin: str):
    assert shown_url(url, admin=False) == public
    assert shown_url(url, admin=True) == admin


def test_fields_are_cut_before_escaping_and_links_checked():
    assert field("<b>" + "a" * 500, 20) == "&lt;b&gt;" + "a" * 16 + "…"
    assert field(None, 5) == ""
    assert linked("x", "javascript:alert(1)") == "x"
    assert (
        linked("x", "https://a.example/?a=1&b=2")
        == '<a href="https://a.example/?a=1&amp;b=2">x</a>'
    )
    assert linked("x", "https://a.example/" + "a" * 5000) == "x"


def test_pages_hold_lines_within_both_bounds():
    lines = [f"baris {i} " + "x" * 90 for i in range(100)]
    split = pages(lines, chars=1000, per_page=20)
    assert [line for page in split for line in page] == lines
    assert all(len(page) <= 20 and sum(len(x) + 1 for x in page) <= 1000 for page in split)
    assert pages([]) == []
