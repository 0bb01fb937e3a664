"""A broadcast timer that records what the broadcast service hands it, instead of arranging
jobs (the browser and process tests run the real scheduler)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.storage.broadcasts import Broadcast


@dataclass
class RecordingTimer:
    arranged: list[int] = field(default_factory=list)
    forgotten: list[int] = field(default_factory=list)

    def arrange(self, broadcast: Broadcast) -> None:
        self.arranged.append(broadcast.id)

    def forget(self, broadcast_id: int) -> None:
        self.forgotten.append(broadcast_id)
