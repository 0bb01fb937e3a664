"""Telegram HTML helpers: escaping, strict validation, visible length, plain-text fallback."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.format.html import (
    HtmlError,
    escape,
    is_valid_telegram_html,
    safe_href,
    to_plain_text,
    validate,
    visible_length,
)
from bot.format.text import has_substance


def test_escape_replaces_the_four_special_characters() -> None:
    assert escape('a < b > c & "d"') == "a &lt; b &gt; c &amp; &quot;d&quot;"
    assert escape("tidak ada apa-apa") == "tidak ada apa-apa"


@pytest.mark.parametrize(
    "html",
    [
        "<b>tebal</b>",
        "<strong>a</strong> <em>b</em> <ins>c</ins> <strike>d</strike> <del>e</del>",
        "<b><i>bersarang</i></b>",
        '<a href="https://kpu.go.id/berita?id=1&amp;p=2">KPU</a>',
        "<a href='http://bawaslu.go.id'>Bawaslu</a>",
        '<span class="tg-spoiler">rahasia</span> <tg-spoiler>juga</tg-spoiler>',
        "<blockquote expandable>kutipan</blockquote>",
        '<pre><code class="language-python">x = 1</code></pre>',
        "&lt;script&gt; &amp; &quot; &#65; &#x1F5F3;",
        "<B>huruf besar</B >",
        "harga > 100",
    ],
)
def test_valid_telegram_html(html: str) -> None:
    validate(html)
    assert is_valid_telegram_html(html)


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<b>tebal", 'no end tag for "b"'),
        ("harga < 100", "unescaped '<' at offset 6"),
        ("<div>x</div>", 'unsupported tag "div"'),
        ("<b><i>x</b></i>", "unmatched </b> at offset 7, expected </i>"),
        ("x</b>", "unmatched </b>"),
        ("<span>x</span>", 'must have class "tg-spoiler"'),
        ("PT A & B", "unescaped '&' at offset 5"),
        ("&nbsp;", "unescaped '&'"),
        ("&lt tanpa titik koma", "unescaped '&'"),
        ("&#X41;", "unescaped '&'"),
        ("&#0;", "unescaped '&'"),
        ("&#xD800;", "unescaped '&'"),
        ('<a href="javascript:alert(1)">x</a>', "scheme"),
        ('<b class="x">x</b>', 'attribute "class" not allowed'),
        ('<a href="https://x.id" onclick="y">x</a>', 'attribute "onclick"'),
        ("<b/>", "malformed attributes"),
        ("<b> </b>\n", "message text is empty"),
        ("", "message text is empty"),
        ("a\0b", "NUL"),
    ],
)
def test_invalid_telegram_html_names_the_reason(html: str, reason: str) -> None:
    with pytest.raises(HtmlError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        validate(html)
    assert not is_valid_telegram_html(html)


def test_validate_checks_the_length_when_asked() -> None:
    html = "<b>" + "x" * 1025 + "</b>"
    validate(html, max_length=4096)
    with pytest.raises(HtmlError, match="too long: 1025 > 1024"):
        validate(html, max_length=1024)


@pytest.mark.parametrize(
    ("html", "length"),
    [
        ("<b>Pemilu</b>", 6),
        ("&lt;b&gt;", 3),
        ('<a href="https://very.long/url/that/does/not/count">KPU</a>', 3),
        ("🗳️ Pemilu", 9),  # ballot box + variation selector: two code points
        ("😀" * 4096, 4096),  # code points, not UTF-16 units
        ("  \n<b>x</b>\n\n", 1),  # Telegram trims spaces and newlines at both ends
        ("a\r\nb", 3),  # and drops carriage returns
        ("PT A & B &lt", 10),  # lenient, as Telegram: a bare '&' stays, '&lt' is decoded
    ],
)
def test_visible_length_counts_what_telegram_counts(html: str, length: int) -> None:
    assert visible_length(html) == length


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<b>Judul</b>\n\n<i>kutipan</i> &amp; &quot;lain&quot;", 'Judul\n\nkutipan & "lain"'),
        (
            'Sumber: <a href="https://a.id/x?p=1&amp;q=2">a.id</a>',
            "Sumber: a.id (https://a.id/x?p=1&q=2)",
        ),
        ('<a href="https://a.id">https://a.id</a>', "https://a.id"),
        ('<a href="javascript:alert(1)">klik</a>', "klik"),
        ("harga < 100 & <div>naik</div>", "harga < 100 & naik"),
        ("<b>belum ditutup", "belum ditutup"),
        ("&#x1F600; &#128512;", "😀 😀"),
    ],
)
def test_to_plain_text_strips_tags_and_keeps_link_targets(html: str, text: str) -> None:
    assert to_plain_text(html) == text


@given(st.text())
def test_escaped_text_is_valid_and_round_trips(text: str) -> None:
    html = escape(text)
    plain = text.replace("\r", "").strip(" \n")
    assert to_plain_text(html) == plain
    assert visible_length(html) == len(plain)
    if (
        has_substance(plain)
        and "\0" not in text
        and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    ):
        validate(html)
    else:
        assert not is_valid_telegram_html(html)


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://kpu.go.id/a?b=1&c=2", "https://kpu.go.id/a?b=1&c=2"),
        ("  http://bawaslu.go.id  ", "http://bawaslu.go.id"),
        ("HTTPS://KPU.GO.ID", "HTTPS://KPU.GO.ID"),
        ("https://pemilu.contoh.id/berita", "https://pemilu.contoh.id/berita"),
        ("https://Pemilú.id/x", "https://xn--pemil-cva.id/x"),  # IDNA, as Telegram wants
        ("javascript:alert(1)", None),
        ("JavaScript://%0Aalert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("/relatif/saja", None),
        ("https://", None),
        ("https://a.id/dengan spasi", None),
        ("https://a.id/" + "x" * 3000, None),
        ("ftp://a.id/file", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_href_keeps_only_usable_http_links(url: str | None, safe: str | None) -> None:
    assert safe_href(url) == safe
