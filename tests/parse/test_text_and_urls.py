"""html_to_text, canonical_url and item_uid."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.parse import canonical_url, html_to_text, item_uid


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Satu</p><p>Dua</p>", "Satu\nDua"),
        ("Baris<br>baru<br/>lagi", "Baris\nbaru\nlagi"),
        ("<p>KPU &amp; Bawaslu&nbsp;&#8220;siap&#8221; &lt;3</p>", "KPU & Bawaslu “siap” <3"),
        ("<p>  banyak\n\t  spasi  </p>", "banyak spasi"),
        ("<script>alert(1)</script><style>p{}</style>Teks", "Teks"),
        (
            "<div><h2>Judul</h2>Isi <b>tebal</b> dan <a href='/'>tautan</a></div>",
            "Judul\nIsi tebal dan tautan",
        ),
        ("<ul><li>satu</li><li>dua</li></ul>", "satu\ndua"),
        ("<p>tidak ditutup<p>kedua", "tidak ditutup\nkedua"),
        ("<script>tidak ditutup", ""),
        ("teks biasa tanpa tag", "teks biasa tanpa tag"),
        ("", ""),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


@given(st.text())
def test_html_to_text_never_fails_and_leaves_no_blank_lines(html: str) -> None:
    text = html_to_text(html)
    assert all(line and line == line.strip() for line in text.split("\n")) or text == ""


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Detik.COM/berita/d-1?a=1#atas", "https://news.detik.com/berita/d-1?a=1"),
        ("https://x.example/a?utm_source=rss&id=5&utm_medium=feed", "https://x.example/a?id=5"),
        ("https://x.example/a?fbclid=1&gclid=2&b=2&a=1", "https://x.example/a?b=2&a=1"),
        ("https://x.example:443/a", "https://x.example/a"),
        ("http://x.example:8080/a", "http://x.example:8080/a"),
        ("https://x.example", "https://x.example/"),
        ("https://x.example/Path/With%20Case", "https://x.example/Path/With%20Case"),
        ("  https://x.example/a  ", "https://x.example/a"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_item_uid_fallback_chain() -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", item_uid("g", None, "", ""))
    assert item_uid("g", "https://a.example/1", "T", "x") == item_uid("g", None, "", "")
    assert item_uid(None, "https://A.example/1#x", "T", "x") == item_uid(
        None, "https://a.example/1?utm_campaign=z", "", ""
    )
    assert item_uid(None, None, "T", "x") != item_uid(None, None, "T", "y")
    # the chains never collide: a guid that looks like a link is still a guid
    assert item_uid("https://a.example/1", None, "", "") != item_uid(
        None, "https://a.example/1", "", ""
    )
    assert item_uid("  ", "https://a.example/1", "", "") == item_uid(
        None, "https://a.example/1", "", ""
    )
