"""Plain-text helpers: tidying, word-boundary shortening, source names and hashtags."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.format.text import clean_hashtags, clean_text, has_substance, host_name, shorten


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("  Pemilu\n\t2024  ", "Pemilu 2024"),
        ("KPU\x00\x1b[31m", "KPU[31m"),
        ("\u202bالانتخابات\u202c", "الانتخابات"),
        ("\u200d\u0301  \u2800", ""),
        (None, ""),
    ],
)
def test_clean_text(text: str | None, clean: str) -> None:
    assert clean_text(text) == clean


@pytest.mark.parametrize(
    ("text", "limit", "short"),
    [
        ("Bawaslu awasi kampanye", 30, "Bawaslu awasi kampanye"),
        ("Bawaslu awasi kampanye di Kaltim", 20, "Bawaslu awasi…"),
        ("Satu, dua, tiga, empat", 12, "Satu, dua…"),
        ("Superkalifragilistik", 10, "Superkali…"),
        ("选举委员会宣布投票结果", 6, "选举委员会…"),
        ("👨‍👩‍👧 keluarga", 4, "👨‍👩…"),
        ("abc", 1, ""),
    ],
)
def test_shorten_cuts_at_a_word_boundary(text: str, limit: int, short: str) -> None:
    assert shorten(text, limit) == short


@given(st.text(), st.integers(0, 300))
def test_shorten_never_exceeds_the_limit_and_keeps_a_prefix(text: str, limit: int) -> None:
    short = shorten(text, limit)
    assert len(short) <= limit
    assert text.startswith(short.removesuffix("…")) or short == text


@pytest.mark.parametrize(
    ("link", "name"),
    [
        ("https://www.inibalikpapan.com/a/b", "inibalikpapan.com"),
        ("https://news.detik.com/berita/d-1", "news.detik.com"),
        ("https://xn--pemil-cva.id/x", "pemilú.id"),
        ("not a link", ""),
        ("http://[::1", ""),
        (None, ""),
    ],
)
def test_host_name(link: str | None, name: str) -> None:
    assert host_name(link) == name


def test_clean_hashtags_keeps_telegram_hashtags_once() -> None:
    tags = ("#Pemilu2024", "pemilu2024", "KPU RI", "2024", "", "Bawaslu!", "x" * 31, "A", "B")
    assert clean_hashtags(tags, limit=4, max_length=30) == ("Pemilu2024", "KPURI", "Bawaslu", "A")


def test_has_substance() -> None:
    assert has_substance("…")
    assert has_substance("😀")
    assert not has_substance(" \u200d\u200b\ufe0f\u3164")
