"""Pauses of automatic posts (masa tenang, incidents): for all channels or some, until a time or
until lifted."""

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
