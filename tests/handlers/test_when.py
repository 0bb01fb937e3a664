"""WAKTU parsing: every form, the zones, refusals with reasons, recurring next runs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.broadcast.when import WhenError, next_run, parse_when
from bot.dates import format_when

# Senin, 10 Juli 2023 08.00 WITA
NOW = datetime(2023, 7, 10, 0, 0, tzinfo=UTC)
WITA = "Asia/Makassar"


@pytest.mark.parametrize(
    ("text", "expected", "repeat"),
    [
        ("09.30 Teks", "Senin, 10 Juli 2023 09.30 WITA", "once"),
        ("09:30 Teks", "Senin, 10 Juli 2023 09.30 WITA", "once"),
        ("07.00 Teks", "Selasa, 11 Juli 2023 07.00 WITA", "once"),  # past today: tomorrow
        ("07.30 WIB Teks", "Senin, 10 Juli 2023 07.30 WIB", "once"),  # now is 07.00 WIB
        ("besok 07.00 Teks", "Selasa, 11 Juli 2023 07.00 WITA", "once"),
        ("14/12 07.00 WIT Teks", "Kamis, 14 Desember 2023 07.00 WIT", "once"),
        ("14/02/2024 07:00 WIB Teks", "Rabu, 14 Februari 2024 07.00 WIB", "once"),
        ("2024-02-14 07.00 Teks", "Rabu, 14 Februari 2024 07.00 WITA", "once"),
        ("20/07 07.00 Teks", "Kamis, 20 Juli 2023 07.00 WITA", "once"),
        ("harian 07.00 ringkasan", "Selasa, 11 Juli 2023 07.00 WITA", "daily"),
        ("mingguan senin 09.00 ringkasan", "Senin, 10 Juli 2023 09.00 WITA", "weekly"),
        ("weekly monday 07:00 WIT ringkasan", "Senin, 17 Juli 2023 07.00 WIT", "weekly"),
    ],
)
def test_forms(text, expected, repeat):
    when, rest = parse_when(text.split(), NOW, WITA)
    assert when.repeat == repeat and rest[-1] in ("Teks", "ringkasan")
    if expected:
        assert format_when(when.run_at, when.zone, "id") == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "when_missing"),
        ("25.00 x", "when_bad_time"),
        ("07.61 x", "when_bad_time"),
        ("31/02 07.00 x", "when_bad_date"),
        ("2023-13-01 07.00 x", "when_bad_date"),
        ("1/1/0000 00.00 x", "when_bad_date"),  # year 0 is not "this year"
        ("0000-12-31 23.59 x", "when_bad_date"),
        ("01/07 07.00 x", "when_past"),
        ("2020-01-01 07.00 x", "when_past"),
        ("besok", "when_missing_time"),
        ("besok jam7 x", "when_bad_time"),
        ("mingguan senen 07.00", "when_bad_day"),
        ("nanti x", "when_unknown"),
    ],
)
def test_refusals_name_the_reason(text, key):
    with pytest.raises(WhenError) as error:
        parse_when(text.split(), NOW, WITA)
    assert error.value.key == key


def test_english_dates_and_next_runs():
    when, _ = parse_when(["harian", "07.00"], NOW, WITA)
    assert format_when(when.run_at, WITA, "en") == "Tuesday, 11 July 2023 07:00 WITA"
    later = next_run(when.run_at, "daily", WITA, datetime(2023, 7, 20, tzinfo=UTC))
    assert format_when(later, WITA, "id") == "Jumat, 21 Juli 2023 07.00 WITA"  # 20th 07.00 passed
    weekly = next_run(when.run_at, "weekly", WITA, when.run_at)
    assert (weekly - when.run_at).days == 7
    assert next_run(when.run_at, "once", WITA, NOW) is None


@given(st.lists(st.text(max_size=12), max_size=5))
def test_any_words_parse_or_refuse(words):
    try:
        when, rest = parse_when(words, NOW, WITA)
    except WhenError as error:
        assert error.key.startswith("when_")
    else:
        assert when.run_at > NOW and len(rest) < len(words)
