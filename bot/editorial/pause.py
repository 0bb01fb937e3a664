"""Pauses of automatic posts (masa tenang, incidents): for all channels or some, until a time or
until lifted.

The rule is `Pause.applies`: a pause is in force until its `until` (or until lifted), and holds
every channel or the ones it names; admin broadcasts are never held. The database mirrors it in
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

    def applies(self, chat_id: int | str, now: datetime) -> bool:
        if self.until is not None and now >= self.until:
            return False
        return self.chats is None or str(chat_id) in self.chats


def paused(pauses: Iterable[Pause], chat_id: int | str, now: datetime) -> Pause | None:
    """The pause holding automatic posts to this chat now, if any."""
    return next((p for p in pauses if p.applies(chat_id, now)), None)


def touching(pauses: Iterable[Pause], targets: Iterable[str] | None) -> list[Pause]:
    """The pauses that hold automatic posts to any of `targets` (None: every channel)."""
    wanted = None if targets is None else set(targets)
    return [p for p in pauses if p.chats is None or wanted is None or p.chats & wanted]
