"""How many commands one person may give: a sliding window per user.

Past the limit the user hears once that there are too many requests, then nothing until the
window has room again, so a flood costs the bot one reply, not one per message. Admins are not
limited: they must be able to work while someone floods.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import Enum

LIMIT = 10  # commands (and button presses) per user ...
WINDOW = 60.0  # ... in any this many seconds
_FORGET_AFTER = 10_000  # users tracked before idle ones are dropped


class Verdict(Enum):
    ADMIT = "admit"
    WARN = "warn"  # over the limit: tell the user once
    DROP = "drop"  # over the limit and already told: stay silent


class CommandLimiter:
    def __init__(
        self,
        limit: int = LIMIT,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    def check(self, user_id: int) -> Verdict:
        """Count one command from `user_id` (when admitted) and say what to do with it."""
        now = self.clock()
        times = self._seen.get(user_id)
        if times is None:
            self._forget_idle(now)
            times = self._seen[user_id] = deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            self._warned.discard(user_id)
            return Verdict.ADMIT
        if user_id in self._warned:
            return Verdict.DROP
        self._warned.add(user_id)
        return Verdict.WARN

    def _forget_idle(self, now: float) -> None:
        if len(self._seen) < _FORGET_AFTER:
            return
        for user_id in [u for u, t in self._seen.items() if not t or t[-1] <= now - self.window]:
            del self._seen[user_id]
            self._warned.discard(user_id)
