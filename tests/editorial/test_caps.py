from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.editorial.caps import Caps, QuietHours, next_slot
from bot.editorial.pause import Pause, holding, paused

WITA = ZoneInfo("Asia/Makassar")


def wita(hour: int, minute: int = 0, day: int = 10) -> datetime:
    return datetime(2024, 2, day, hour, minute, tzinfo=WITA).astimezone(UTC)


def test_quiet_hours_parse_and_wrap_past_midnight():
    quiet = QuietHours.parse("22.00-05.00")
    assert quiet == QuietHours(time(22), time(5))
    assert quiet.contains(time(23, 30)) and quiet.contains(time(4, 59))
    assert not quiet.contains(time(5)) and not quiet.contains(time(12))
    with pytest.raises(ValueError, match="jam tenang"):
        QuietHours.parse("malam")
    with pytest.raises(ValueError, match="batas"):
        QuietHours.parse("25.00-05.00")


def test_a_post_in_quiet_hours_waits_until_they_end():
    caps = Caps(quiet=QuietHours.parse("22.00-05.00"))
    assert next_slot(wita(23), [], caps, WITA) == wita(5, day=11)
    assert next_slot(wita(3), [], caps, WITA) == wita(5)
    assert next_slot(wita(12), [], caps, WITA) == wita(12)


def test_hourly_cap_waits_for_the_oldest_send_to_age_out():
    sent = [wita(9, 0), wita(9, 20), wita(9, 40)]
    assert next_slot(wita(9, 50), sent, Caps(max_per_hour=3), WITA) == wita(10, 0)
    assert next_slot(wita(9, 50), sent, Caps(max_per_hour=4), WITA) == wita(9, 50)


def test_daily_cap_waits_for_the_next_local_day_then_quiet_hours_apply():
    sent = [wita(8), wita(12), wita(16)]
    caps = Caps(max_per_day=3, quiet=QuietHours.parse("00.00-06.00"))
    assert next_slot(wita(18), sent, caps, WITA) == wita(6, day=11)


def test_no_caps_means_now():
    assert next_slot(wita(1), [wita(0, 59)] * 50, Caps(), WITA) == wita(1)
    assert Caps().unlimited


def test_pauses_apply_to_their_chats_until_their_time():
    now = wita(10)
    everywhere = Pause(chats=None, until=None)
    some = Pause(chats=frozenset({"-100"}), until=now + timedelta(hours=1))
    assert paused([everywhere], -5, now) is everywhere
    assert paused([some], -100, now) is some and paused([some], -5, now) is None
    assert paused([some], -100, now + timedelta(hours=2)) is None


def test_the_pauses_in_force_hold_their_chats_or_every_chat():
    now = datetime(2024, 2, 11, 8, tzinfo=UTC)
    kaltim = Pause(frozenset({"-100"}), until=now + timedelta(hours=1))
    jateng = Pause(frozenset({"-200"}), until=None)
    ended = Pause(None, until=now)  # in force until that moment, not at it
    assert holding([kaltim, jateng, ended], now) == frozenset({"-100", "-200"})
    assert holding([kaltim, Pause(None, until=None)], now) is None
    assert holding([kaltim], now + timedelta(hours=1)) == frozenset()
