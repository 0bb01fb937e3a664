"""WAKTU of `/jadwal`: `HH.MM`, `besok HH.MM`, `DD/MM HH.MM`, `DD/MM/YYYY HH.MM`,
`YYYY-MM-DD HH.MM`, `harian HH.MM`, `mingguan HARI HH.MM`; then an optional zone (WIB, WITA,
WIT). Every form accepts `.` or `:` in the time."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
DAYS = {
    **dict.fromkeys(("senin", "monday", "mon"), 0),
    **dict.fromkeys(("selasa", "tuesday", "tue"), 1),
    **dict.fromkeys(("rabu", "wednesday", "wed"), 2),
    **dict.fromkeys(("kamis", "thursday", "thu"), 3),
    **dict.fromkeys(("jumat", "jum'at", "friday", "fri"), 4),
    **dict.fromkeys(("sabtu", "saturday", "sat"), 5),
    **dict.fromkeys(("minggu", "ahad", "sunday", "sun"), 6),
}
DAILY, WEEKLY, TOMORROW = {"harian", "daily"}, {"mingguan", "weekly"}, {"besok", "tomorrow"}
_TIME = re.compile(r"^(\d{1,2})[.:](\d{2})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True, slots=True)
class When:
    run_at: datetime  # aware, in `zone`
    repeat: str  # once | daily | weekly
    zone: str  # IANA name


@dataclass
class WhenError(ValueError):
    """Why a WAKTU was refused: a text key of the catalogue and its fields."""

    key: str
    fields: dict[str, str] = field(default_factory=dict)


def parse_when(words: list[str], now: datetime, default_zone: str) -> tuple[When, list[str]]:
    """Read WAKTU [ZONA] from the front of `words`; returns it and the words left."""
    if not words:
        raise WhenError("when_missing")
    head = words[0].lower()
    if head in DAILY:
        clock, rest = _clock(words[1:2]), words[2:]
        zone, rest = _zone(rest, default_zone)
        return When(_next_at(now, zone, clock, None), "daily", zone), rest
    if head in WEEKLY:
        if len(words) < 2 or words[1].lower() not in DAYS:
            raise WhenError("when_bad_day", {"day": words[1] if len(words) > 1 else ""})
        weekday, clock, rest = DAYS[words[1].lower()], _clock(words[2:3]), words[3:]
        zone, rest = _zone(rest, default_zone)
        return When(_next_at(now, zone, clock, weekday), "weekly", zone), rest
    if head in TOMORROW:
        clock, rest = _clock(words[1:2]), words[2:]
        zone, rest = _zone(rest, default_zone)
        day = now.astimezone(ZoneInfo(zone)).date() + timedelta(days=1)
        return When(_at(day, clock, zone), "once", zone), rest
    if _TIME.match(head):
        clock, rest = _clock(words[:1]), words[1:]
        zone, rest = _zone(rest, default_zone)
        return When(_next_at(now, zone, clock, None), "once", zone), rest
    day_words = _date_words(head)
    if day_words is None:
        raise WhenError("when_unknown", {"value": words[0]})
    clock, rest = _clock(words[1:2]), words[2:]
    zone, rest = _zone(rest, default_zone)
    local_now = now.astimezone(ZoneInfo(zone))
    year, month, day_of_month = day_words
    try:
        the_day = date(local_now.year if year is None else year, month, day_of_month)
    except ValueError:
        raise WhenError("when_bad_date", {"value": words[0]}) from None
    run_at = _at(the_day, clock, zone)
    if run_at <= now:
        raise WhenError("when_past", {"value": f"{words[0]} {words[1]}"})
    return When(run_at, "once", zone), rest


def next_run(previous: datetime, repeat: str, zone: str, after: datetime) -> datetime | None:
    """The next occurrence of a recurring schedule strictly after `after`; None for once."""
    if repeat == "once":
        return None
    step = timedelta(days=7 if repeat == "weekly" else 1)
    local = previous.astimezone(ZoneInfo(zone))
    day, clock = local.date(), local.time()
    while (candidate := _at(day, clock, zone)) <= after:
        day += step
    return candidate


def _clock(words: list[str]) -> time:
    if not words:
        raise WhenError("when_missing_time")
    match = _TIME.match(words[0])
    if not match:
        raise WhenError("when_bad_time", {"value": words[0]})
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise WhenError("when_bad_time", {"value": words[0]})
    return time(hour, minute)


def _zone(words: list[str], default_zone: str) -> tuple[str, list[str]]:
    if words and words[0].upper() in ZONES:
        return ZONES[words[0].upper()], words[1:]
    return default_zone, words


def _date_words(word: str) -> tuple[int | None, int, int] | None:
    if match := _DAY_MONTH.match(word):
        return (int(match[3]) if match[3] else None, int(match[2]), int(match[1]))
    if match := _ISO.match(word):
        return (int(match[1]), int(match[2]), int(match[3]))
    return None


def _at(day: date, clock: time, zone: str) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZoneInfo(zone))


def _next_at(now: datetime, zone: str, clock: time, weekday: int | None) -> datetime:
    """The first time at `clock` (on `weekday`, if given) after now, in `zone`."""
    day = now.astimezone(ZoneInfo(zone)).date()
    while True:
        candidate = _at(day, clock, zone)
        if candidate > now and (weekday is None or day.weekday() == weekday):
            return candidate
        day += timedelta(days=1)
