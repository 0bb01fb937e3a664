"""Input a feed can throw at the analyser."""

from __future__ import annotations

import time

import pytest

from bot.analyse import analyze


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", "“", '"""', "”,” ujarnya", "-"])
def test_empty_and_degenerate_text(text: str) -> None:
    result = analyze(None, text)
    assert result.is_election is False
    assert result.quotes == () or all(q.text for q in result.quotes)
    assert len(result.key_quotes) <= 2


def test_none_title_with_election_body() -> None:
    result = analyze(None, "KPU menetapkan DPT Pemilu 2024 di seluruh TPS dan Bawaslu mengawasi.")
    assert result.is_election


def test_long_body_is_fast_and_bounded() -> None:
    sentence = "Ketua KPU Kaltim Fahmi Idris mengatakan, “Pemilu 2024 harus damai,” katanya. "
    body = (sentence * 200)[:10_000]
    started = time.perf_counter()
    result = analyze("Pemilu 2024", body)
    assert time.perf_counter() - started < 2.0
    assert result.is_election
    assert result.quotes and result.quotes[0].speaker == "Ketua KPU Kaltim Fahmi Idris"
    assert len(result.key_quotes) <= 2


def test_html_ish_characters_are_plain_text() -> None:
    text = (
        "<p>KPU & Bawaslu <b>menetapkan</b> DPT Pemilu 2024 &amp; TPS.</p> "
        "“<i>Kami siap</i>,” ujar Ali."
    )
    result = analyze("<script>alert(1)</script> Pemilu 2024", text)
    assert result.is_election
    assert [q.text for q in result.quotes] == ["<i>Kami siap</i>"]


def test_windows_line_breaks_and_odd_spaces() -> None:
    text = (
        "Jakarta (ANTARA) -\u00a0KPU menetapkan DPT pemilu di\u00a0seluruh provinsi.\r\n"
        "“Pemilu aman,”\u00a0kata Hasyim.\r\n"
    )
    result = analyze("Pemilu", text)
    assert result.lead == "KPU menetapkan DPT pemilu di seluruh provinsi."
    assert [(q.text, q.speaker) for q in result.quotes] == [("Pemilu aman", "Hasyim")]
