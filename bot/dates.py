"""Dates as people read them: "Senin, 10 Juli 2023 08.00 WITA" (Babel, the config's zone)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}
_PATTERNS = {"id": "EEEE, d MMMM y HH.mm", "en": "EEEE, d MMMM y HH:mm"}


def zone_abbreviation(zone: str, moment: datetime) -> str:
    return _ABBREVIATIONS.get(zone) or moment.astimezone(ZoneInfo(zone)).tzname() or zone


def format_when(moment: datetime, zone: str, language: str) -> str:
    """ "Senin, 10 Juli 2023 08.00 WITA" (id) or "Monday, 10 July 2023 08:00 WITA" (en)."""
    local = moment.astimezone(ZoneInfo(zone))
    text = format_datetime(local, _PATTERNS.get(language, _PATTERNS["id"]), locale=language)
    return f"{text} {zone_abbreviation(zone, local)}"


def format_day(moment: datetime, zone: str, language: str) -> str:
    """ "Senin, 10 Juli 2023"."""
    return format_datetime(moment.astimezone(ZoneInfo(zone)), "EEEE, d MMMM y", locale=language)
