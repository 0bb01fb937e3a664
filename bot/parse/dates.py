"""Dates as Indonesian sites write them, and what to believe when they contradict the site.

Reading (:func:`read_stamp`): RFC 822 (``Tue, 23 Aug 2016 19:38:21 +0700``), ISO 8601
(``2009-11-30T12:19:29+00:00``) and the Indonesian forms (``05 Agustus 2019``,
``Senin, 12 Februari 2024 10:00 WIB``, ``12/02/2024 10.00 WITA``): day first, month names and
abbreviations in Indonesian or English (``Jan … Des``, ``Agt``, ``Okt``, ``Nop``), weekday
ignored, time with ``:`` or ``.``, zone as ``WIB``/``WITA``/``WIT``, ``GMT``/``UTC``/``Z`` or
a numeric offset. A stamp keeps what it said: whether it had a time and which offset.

Believing (:func:`settle`), for a site in ``zone`` (an Indonesian zone):

* no offset: the wall clock is the site's;
* an offset that is neither UTC nor Indonesian (``+0100`` on a Jakarta site) is a mislabelled
  local time: the wall clock is the site's;
* a date without a time is today's news at ``now`` when it is today in the site's zone, else
  the end of that day (a week-old day stays a week old);
* with ``now`` known, a time in the future (beyond a few minutes of clock skew) cannot be true:
  the wall clock is read in the site's zone, then in the other Indonesian zones, and if it is
  still in the future the item counts as published ``now``. So an item is never dropped for a
  date that looks newer than it is, and a date that reads as old is never made new.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, timezone
from email.utils import parsedate_tz
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")
INDONESIAN_ZONES = {7: JAKARTA, 8: ZoneInfo("Asia/Makassar"), 9: ZoneInfo("Asia/Jayapura")}
SKEW = timedelta(minutes=10)  # clocks differ: this much in the future is still believed

_MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip
_NAMED_ZONES = {"wib": 7, "wita": 8, "wit": 9, "gmt": 0, "utc": 0, "ut": 0, "z": 0}
_DAY_FIRST = re.compile(
    r"^(?:[a-z']+,?\s+)?"  # weekday: Senin, / Tue,
    r"(?P<day>\d{1,2})[\s/.-]+(?P<month>[a-z]+\.?|\d{1,2})[\s/.,-]+(?P<year>\d{4})"
    r"(?:[\s,|T-]+(?:pukul\s+|jam\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})"
    r"(?:[:.](?P<second>\d{2}))?)?"
    r"\s*(?P<zone>wita|wib|wit|gmt|utc|ut|z|[+-]\d{2}(?::?\d{2})?)?\b",
)


@dataclass(frozen=True, slots=True)
class Stamp:
    """A date as the document wrote it: the wall clock, and the offset when one was given."""

    wall: datetime  # naive
    offset: timedelta | None  # None: no zone given
    has_time: bool = True


def read_stamp(raw: str | None) -> Stamp | None:
    """The stamp a date string gives, or None when it is not a date this module can read."""
    text = " ".join(str(raw or "").split()).lower()
    if not text:
        return None
    return _iso(text) or _day_first(text) or _rfc822(text)


def _iso(text: str) -> Stamp | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        value = datetime.fromisoformat(text.upper().replace(" ", "T", 1))
    except ValueError:
        return None
    has_time = len(text) > 10
    offset = value.utcoffset()
    return Stamp(value.replace(tzinfo=None), offset, has_time)


def _day_first(text: str) -> Stamp | None:
    match = _DAY_FIRST.match(text)
    if match is None:
        return None
    month_text = match["month"].rstrip(".")
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text)
    if month is None:
        return None
    has_time = match["hour"] is not None
    try:
        wall = datetime(
            int(match["year"]),
            month,
            int(match["day"]),
            int(match["hour"] or 0),
            int(match["minute"] or 0),
            int(match["second"] or 0),
        )
    except ValueError:
        return None
    return Stamp(wall, _offset(match["zone"]), has_time)


def _offset(zone: str | None) -> timedelta | None:
    if not zone:
        return None
    if zone in _NAMED_ZONES:
        return timedelta(hours=_NAMED_ZONES[zone])
    digits = zone[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return timedelta(minutes=-minutes if zone[0] == "-" else minutes)


def _rfc822(text: str) -> Stamp | None:
    """English month-first forms (``Aug 23, 2016 19:38 GMT``) through the standard library."""
    parts = parsedate_tz(text)
    if parts is None:
        return None
    try:
        wall = datetime(*parts[:6])  # type: ignore[misc]
    except (TypeError, ValueError):
        return None
    offset = timedelta(seconds=parts[9]) if parts[9] is not None else None
    return Stamp(wall, offset, has_time=True)


def site_zone(stamps: Iterable[Stamp | None], default: ZoneInfo = JAKARTA) -> ZoneInfo:
    """The zone a document's own dates say the site is in (most of its Indonesian offsets),
    else ``default``."""
    hours = Counter(
        int(s.offset.total_seconds()) // 3600
        for s in stamps
        if s is not None and s.offset is not None and _indonesian(s.offset)
    )
    if not hours:
        return default
    return INDONESIAN_ZONES[hours.most_common(1)[0][0]]


def _indonesian(offset: timedelta) -> bool:
    return offset.total_seconds() % 3600 == 0 and int(offset.total_seconds()) // 3600 in (7, 8, 9)


def settle(stamp: Stamp, zone: ZoneInfo, now: datetime | None = None) -> datetime:
    """When the item was published (UTC), believing the stamp only as far as it can be true
    for a site in ``zone`` (see the module's rules)."""
    if not stamp.has_time:
        return _day_only(stamp.wall, zone, now)
    offset = stamp.offset
    if offset is None or not (offset == timedelta(0) or _indonesian(offset)):
        when = stamp.wall.replace(tzinfo=zone)
    else:
        when = stamp.wall.replace(tzinfo=timezone(offset))
    if now is not None and when > now + SKEW:
        when = _not_future(stamp.wall, zone, now)
    return when.astimezone(UTC)


def _day_only(wall: datetime, zone: ZoneInfo, now: datetime | None) -> datetime:
    day = wall.date()
    end = datetime.combine(day, time(23, 59, 59), tzinfo=zone)
    if now is None:
        return end.astimezone(UTC)
    today = now.astimezone(zone).date()
    if day >= today:  # today (or a day that has not come yet): news of now
        return now.astimezone(UTC)
    return min(end, now).astimezone(UTC)


def _not_future(wall: datetime, zone: ZoneInfo, now: datetime) -> datetime:
    zones = [zone, *(z for z in INDONESIAN_ZONES.values() if z is not zone)]
    for candidate in zones:
        when = wall.replace(tzinfo=candidate)
        if when <= now + SKEW:
            return when
    return now


def entry_stamp(raw: str | None, parsed: object) -> Stamp | None:
    """The stamp of a feed entry's date: its raw string when readable, else the struct_time
    feedparser made of it (UTC)."""
    stamp = read_stamp(raw)
    if stamp is not None:
        return stamp
    if parsed:
        try:
            wall = datetime(*parsed[:6])  # type: ignore[index]
        except (TypeError, ValueError, OverflowError):
            return None
        return Stamp(wall, timedelta(0))
    return None
