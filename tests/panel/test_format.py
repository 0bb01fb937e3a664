"""The panel's own markup: a post's Telegram HTML made safe, terms marked as whole words."""

from __future__ import annotations

from bot.panel.format import highlight, telegram


def test_telegram_html_keeps_its_tags_and_drops_everything_else():
    shown = telegram(
        '<b>Judul</b>\n<a href="https://kpu.go.id/x">KPU</a> <a href="javascript:alert(1)">x</a>'
        "<script>alert(1)</script><img src=x onerror=alert(1)><i>miring"
    )
    assert shown == (
        "<strong>Judul</strong><br>"
        '<a href="https://kpu.go.id/x" rel="noopener noreferrer">KPU</a> x'
        "alert(1)<em>miring</em>"
    )


def test_terms_are_marked_as_whole_words_in_any_case_and_the_rest_escaped():
    shown = highlight("Pemilu aman & nyaman.\n\nKPU <b>siap</b>", ["aman", "pemilu", "kpu"])
    assert shown == (
        "<p><mark>Pemilu</mark> <mark>aman</mark> &amp; nyaman.</p>"
        "<p><mark>KPU</mark> &lt;b&gt;siap&lt;/b&gt;</p>"
    )
