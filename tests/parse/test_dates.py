"""Dates as Indonesian sites write them, and dates that cannot be true."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.parse.dates import INDONESIAN_ZONES, JAKARTA, read_stamp, settle, site_zone

WITA = INDONESIAN_ZONES[8]


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Senin, 12 Februari 2024 10:00 WIB", utc(2024, 2, 12, 3)),
        ("Sabtu, 10 Feb 2024 21.30 WITA", utc(2024, 2, 10, 13, 30)),
        ("Jum'at, 9 Feb 2024 08:15 WIT", utc(2024, 2, 8, 23, 15)),
        ("20 Nop 2023 14.00 WIB", utc(2023, 11, 20, 7)),
        ("3 Okt 2023 pukul 09.05 WIB", utc(2023, 10, 3, 2, 5)),
        ("Kamis, 15 Agt 2024 09:00", utc(2024, 8, 15, 2)),  # no zone: the site's (WIB)
        ("1 Des 2023 07:00 WIB", utc(2023, 12, 1, 0)),
        ("12/02/2024 10:00 WIB", utc(2024, 2, 12, 3)),  # day first
        ("Tue, 23 Aug 2016 19:38:21 +0700", utc(2016, 8, 23, 12, 38, 21)),
        ("Thu, 27 Apr 2017 22:50:49 GMT", utc(2017, 4, 27, 22, 50, 49)),
        ("2009-11-30T12:19:29+00:00", utc(2009, 11, 30, 12, 19, 29)),
        ("Mon, 16 Feb 2026 22:50:00 +0700", utc(2026, 2, 16, 15, 50)),
    ],
)
def test_indonesian_and_standard_forms(raw: str, expected: datetime) -> None:
    stamp = read_stamp(raw)
    assert stamp is not None
    assert settle(stamp, JAKARTA) == expected


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("Januari", 1), ("Jan", 1), ("Februari", 2), ("Peb", 2), ("Maret", 3), ("Mei", 5),
        ("Juni", 6), ("Juli", 7), ("Agustus", 8), ("Agt", 8), ("Agu", 8), ("September", 9),
        ("Okt", 10), ("Oktober", 10), ("Nop", 11), ("Nopember", 11), ("Des", 12),
        ("Desember", 12),
    ],
)  # fmt: skip
def test_every_month_name_and_abbreviation(name: str, month: int) -> None:
    stamp = read_stamp(f"07 {name} 2024 10:00 WIB")
    assert stamp is not None and stamp.wall.month == month and stamp.wall.day == 7


def test_garbage_is_no_date() -> None:
    assert read_stamp("kemarin sore") is None
    assert read_stamp("") is None
    assert read_stamp("31 Februari 2024") is None


def test_an_offset_that_contradicts_an_indonesian_site_is_the_sites_wall_clock() -> None:
    # a Jakarta site stamping its local time +0100: 16:02 is 16:02 WIB, not 22:02 WIB
    stamp = read_stamp("Thu, 27 Apr 2017 16:02:24 +0100")
    assert stamp is not None
    assert settle(stamp, JAKARTA) == utc(2017, 4, 27, 9, 2, 24)
    assert settle(stamp, WITA) == utc(2017, 4, 27, 8, 2, 24)


def test_the_site_zone_comes_from_the_documents_own_offsets() -> None:
    wita = [read_stamp(f"1{d} Feb 2024 10:00 +0800") for d in range(3)]
    assert site_zone([*wita, read_stamp("Thu, 27 Apr 2017 16:02:24 +0100")]) == WITA
    assert site_zone([read_stamp("2009-11-30T12:19:29+00:00")]) == JAKARTA
    assert site_zone([]) == JAKARTA


def test_a_date_without_time_is_now_when_it_is_today() -> None:
    now = utc(2024, 2, 13, 9, 0)  # 16:00 WIB
    stamp = read_stamp("13 Februari 2024")
    assert stamp is not None and not stamp.has_time
    assert settle(stamp, JAKARTA, now) == now  # today's item is never dropped as "midnight"


def test_a_week_old_date_is_never_made_new() -> None:
    now = utc(2024, 2, 13, 9, 0)
    old = read_stamp("06 Februari 2024")
    assert old is not None
    published = settle(old, JAKARTA, now)
    assert now - published > timedelta(days=6)
    old_with_time = read_stamp("Selasa, 06 Februari 2024 10:00 WIB")
    assert old_with_time is not None
    assert settle(old_with_time, JAKARTA, now) == utc(2024, 2, 6, 3)


def test_a_time_in_the_future_is_read_as_an_indonesian_wall_clock() -> None:
    now = utc(2024, 2, 13, 3, 30)  # 10:30 WIB
    # a WIB wall clock sent as GMT: 10:00 "GMT" would be 17:00 WIB, in the future
    stamp = read_stamp("Tue, 13 Feb 2024 10:00:00 GMT")
    assert stamp is not None
    assert settle(stamp, JAKARTA, now) == utc(2024, 2, 13, 3, 0)


def test_a_date_that_cannot_be_true_counts_as_now_never_dropped() -> None:
    now = utc(2024, 2, 13, 3, 30)
    stamp = read_stamp("Sun, 13 Feb 2033 10:00:00 +0700")
    assert stamp is not None
    assert settle(stamp, JAKARTA, now) == now


def test_a_little_clock_skew_is_believed() -> None:
    now = utc(2024, 2, 13, 3, 0)
    stamp = read_stamp("Tue, 13 Feb 2024 10:05:00 +0700")
    assert stamp is not None
    assert settle(stamp, JAKARTA, now) == utc(2024, 2, 13, 3, 5)
