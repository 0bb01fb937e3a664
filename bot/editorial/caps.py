"""Volume caps and quiet hours: when a channel may receive its next automatic post.

Pure maths on `now` and the channel's recent sends. What does not fit waits for the returned
slot; nothing is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

_RANGE = re.compile(r"^\s*(\d{1,2})[.:](\d{2})\s*[-–]\s*(\d{1,2})[.:](\d{2})\s*$")


@dataclass(frozen=True)
class QuietHours:
    """A daily span in local time, e.g. 22.00–05.00 (it may wrap past midnight)."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        match = _RANGE.match(text)
        if not match:
            raise ValueError(f"jam tenang {text!r} tidak dikenal: tulis mis. '22.00-05.00'")
        h1, m1, h2, m2 = map(int, match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(f"jam tenang {text!r}: jam atau menit di luar batas")
        return cls(time(h1, m1), time(h2, m2))

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def end_after(self, local: datetime) -> datetime:
        """The first moment after `local` (inside the span) when the span ends."""
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        return end if end > local else end + timedelta(days=1)


@dataclass(frozen=True)
class Caps:
    max_per_hour: int | None = None
    max_per_day: int | None = None  # per local calendar day
    quiet: QuietHours | None = None

    @property
    def unlimited(self) -> bool:
        return self.max_per_hour is None and self.max_per_day is None and self.quiet is None


def next_slot(now: datetime, sent: Sequence[datetime], caps: Caps, tz: ZoneInfo) -> datetime:
    """The earliest moment at or after `now` when one more post fits every cap."""
    slot = now
    for _ in range(64):  # each step moves forward; a few steps always settle it
        moved = _step(slot, sent, caps, tz)
        if moved == slot:
            return slot
        slot = moved
    return slot


def _step(slot: datetime, sent: Sequence[datetime], caps: Caps, tz: ZoneInfo) -> datetime:
    local = slot.astimezone(tz)
    if caps.quiet and caps.quiet.contains(local.time()):
        return caps.quiet.end_after(local).astimezone(slot.tzinfo)
    if caps.max_per_hour is not None:
        window = sorted(t for t in sent if slot - timedelta(hours=1) < t <= slot)
        if len(window) >= caps.max_per_hour:
            # free again when enough of the window's oldest sends have aged out
            return window[len(window) - caps.max_per_hour] + timedelta(hours=1)
    if caps.max_per_day is not None:
        day = local.date()
        if sum(t.astimezone(tz).date() == day for t in sent) >= caps.max_per_day:
            midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz)
            return midnight.astimezone(slot.tzinfo)
    return slot
