"""Pauses of automatic posts (masa tenang, incidents): for all channels or some, until a time or
until lifted.

The rule is `Pause.applies`: a pause is in force until its `until` (or until lifted), and holds
every channel or the ones it names; admin broadcasts are never held. `holding` says which chats
the pauses in force hold, for the outbox's claim. The database mirrors it in
SQL in two places, and must: the pauses in force are selected in SQL (bot.storage: not lifted,
no `until` or `until` after now) because lifting updates exactly those rows; and the outbox's
claim leaves held rows out in the same statement that claims the others (bot.storage's `Hold`),
because with several instances a row claimed and then found held would hold its chat's queue
under a lease. Change the rule here and there together (tests/editorial/test_caps.py,
tests/handlers/test_editorial_actions.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Pause:
    chats: frozenset[str] | None  # None: every channel
    until: datetime | None  # None: until /lanjut

    def in_force(self, now: datetime) -> bool:
        return self.until is None or now < self.until

    def applies(self, chat_id: int | str, now: datetime) -> bool:
        return self.in_force(now) and (self.chats is None or str(chat_id) in self.chats)


def paused(pauses: Iterable[Pause], chat_id: int | str, now: datetime) -> Pause | None:
    """The pause holding automatic posts to this chat now, if any."""
    return next((p for p in pauses if p.applies(chat_id, now)), None)


def holding(pauses: Iterable[Pause], now: datetime) -> frozenset[str] | None:
    """The chats whose automatic posts the pauses hold at `now` (each chat they apply to):
    None when one of them holds every chat. The outbox's claim leaves those rows out."""
    chats: set[str] = set()
    for pause in pauses:
        if not pause.in_force(now):
            continue
        if pause.chats is None:
            return None
        chats |= pause.chats
    return frozenset(chats)


def touching(pauses: Iterable[Pause], targets: Iterable[str] | None) -> list[Pause]:
    """The pauses that hold automatic posts to any of `targets` (None: every channel)."""
    wanted = None if targets is None else set(targets)
    return [p for p in pauses if p.chats is None or wanted is None or p.chats & wanted]
