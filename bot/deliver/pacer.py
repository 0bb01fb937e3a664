"""Pacing sends at Telegram's flood limits, counted the way Telegram counts them.

Written by hand rather than using PTB's ``AIORateLimiter``: its leaky buckets let about twice
the rate through in the first second after idling (Telegram counts any window), it has no
per-chat pacing at all, and on a 429 it pauses every chat.

Every limit is read literally: 30 sends in any second overall, 20 in any 60 s per group or
channel, about one a second per chat (bursts of ``chat_burst``). A send counts from the latest
moment Telegram may have received it, not from when it left: while it is in flight, as if it
arrived right now; once its answer is back (or its error: a send whose answer was lost may
still have arrived), from the answer. A new send arrives after it leaves, so a send that leaves
a full window after the answer of the one it replaces cannot land in that one's window, whatever
the network did: the guard against skew is each request's own measured round trip (a few ms
locally), not a margin on the limits. Subtracting the fastest round trip from the answer time is
not safe (measured against the local Bot API server under load: the way there varied by tens of
ms while the way back stayed short, and 4 of 60 sends drew a 429). A send refused with a 429
does not count (Telegram did not take it). Sends logged before a restart are fed in with
:meth:`Pacer.seed`.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

ChatId = int | str
_RTT_SAMPLES = 64  # round trips kept to measure the skew
_CHAT_HISTORY = 32  # sends per chat kept for the per-chat rule
_SLOWDOWN = 0.75  # a scope's pace after each 429, as a fraction of its pace before
_SLOWEST = 0.25  # never below this fraction of the documented limit


def is_group(chat_id: ChatId) -> bool:
    """Groups, supergroups and channels: negative ids, and @usernames (public channels)."""
    if isinstance(chat_id, str):
        return chat_id.startswith(("@", "-"))
    return chat_id < 0


@dataclass(slots=True, eq=False)
class Send:
    """One request to Telegram, as the windows count it."""

    chat_id: ChatId
    left: float  # when the pacer let it go
    counted_at: float | None = None  # latest moment Telegram may have received it; None: in flight
    done: bool = False

    def at(self, now: float) -> float:
        """When this send counts: in flight, it may arrive any moment (now)."""
        return now if self.counted_at is None else self.counted_at


class _Scope:
    """Sends that share one limit, with its 429 pause and slowdown."""

    def __init__(self, adapt_for: float) -> None:
        self.sends: deque[Send] = deque()
        self.blocked_until = -math.inf
        self.scale = 1.0  # lowered after a 429, back to 1 after `adapt_for` calm seconds
        self.calm_at = -math.inf
        self.adapt_for = adapt_for

    def times(self, now: float) -> list[float]:
        return sorted(send.at(now) for send in self.sends)

    def pace(self, now: float) -> float:
        if now >= self.calm_at:
            self.scale = 1.0
        return self.scale

    def slow_down(self, now: float, seconds: float) -> None:
        self.blocked_until = max(self.blocked_until, now + seconds)
        self.scale = max(_SLOWEST, self.pace(now) * _SLOWDOWN)
        self.calm_at = now + seconds + self.adapt_for

    def forget(self, send: Send) -> None:
        with contextlib.suppress(ValueError):
            self.sends.remove(send)


class _Window(_Scope):
    """At most `limit` sends in any `window` seconds (Telegram: a send fits when fewer than
    `limit` counted sends are later than `now - window`)."""

    def __init__(self, limit: int, window: float, adapt_for: float) -> None:
        super().__init__(adapt_for)
        self.limit, self.window = limit, window

    def delay(self, now: float) -> float:
        while self.sends and self.sends[0].done and self.sends[0].at(now) <= now - self.window:
            self.sends.popleft()
        limit = max(1, math.floor(self.limit * self.pace(now)))
        times = [t for t in self.times(now) if t > now - self.window]
        wait = times[-limit] + self.window - now if len(times) >= limit else 0.0
        return max(wait, self.blocked_until - now)


class _ChatRule(_Scope):
    """About `rate` sends a second with bursts of `burst` (a GCRA bucket, the form Telegram's
    per-chat limit takes: the k-th send after send j may come (k - burst + 1) / rate later)."""

    def __init__(self, rate: float, burst: int, adapt_for: float) -> None:
        super().__init__(adapt_for)
        self.rate, self.burst = rate, burst

    def delay(self, now: float) -> float:
        while len(self.sends) > _CHAT_HISTORY and self.sends[0].done:
            self.sends.popleft()
        interval = 1.0 / (self.rate * self.pace(now))
        tolerance = (self.burst - 1) * interval
        times = self.times(now)
        wait = max(
            (at + back * interval - tolerance for back, at in enumerate(reversed(times), 1)),
            default=-math.inf,
        )
        return max(wait - now, self.blocked_until - now)


class _Spacing:
    """Sends overall spread evenly at the global rate (GCRA on leave times, one timestamp).

    Not a limit (the window is): sends bunched at a window's start wait in flight together,
    and their longer round trips push the next window later. `slack` (in intervals) lets a send
    come that much early, so a late wake-up is caught up (measured on bench/broadcast.py, 600
    channels: a quarter interval kept 28.6 msg/s, one interval 29.4).
    """

    def __init__(self, rate: float, slack: float = 1.0) -> None:
        self.interval = 1.0 / rate
        self.tolerance = slack * self.interval
        self.ready_at = -math.inf

    def delay(self, now: float) -> float:
        return self.ready_at - self.tolerance - now

    def record(self, now: float) -> None:
        self.ready_at = max(self.ready_at, now) + self.interval

    def give_back(self) -> None:
        self.ready_at -= self.interval


class Pacer:
    """Waits before each send until it fits every limit, and honours 429 pauses.

    ``global_per_second`` sends overall in any ``global_window`` (1 s); ``group_per_minute``
    sends to one group/channel in any ``group_window`` (60 s); ``chat_per_second`` to one chat
    with bursts of ``chat_burst`` (to groups and channels too unless ``per_chat_in_groups`` is
    false). The windows are parameters so tests can shrink them. After a 429 the scope pauses for
    the time Telegram asked and goes at a lower pace for ``adapt_for`` seconds.
    """

    def __init__(
        self,
        *,
        global_per_second: float = 30,
        group_per_minute: float = 20,
        chat_per_second: float = 1.0,
        chat_burst: int = 3,
        per_chat_in_groups: bool = True,
        global_window: float = 1.0,
        group_window: float = 60.0,
        adapt_for: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.clock = clock
        self.adapt_for = adapt_for
        self._global = _Window(max(1, math.floor(global_per_second)), global_window, adapt_for)
        self._spacing = _Spacing(self._global.limit / global_window)
        self._group_limit = max(1, math.floor(group_per_minute))
        self._group_window = group_window
        self._chat_rate, self._chat_burst = chat_per_second, max(1, chat_burst)
        self._per_chat_in_groups = per_chat_in_groups
        self._groups: dict[ChatId, _Window] = {}
        self._chats: dict[ChatId, _ChatRule] = {}
        self._round_trips: deque[float] = deque(maxlen=_RTT_SAMPLES)
        self._waiters: set[asyncio.Future[None]] = set()

    # -- what the limits allow -------------------------------------------------------------

    def delay_until_ready(self, chat_id: ChatId, now: float) -> float:
        """Seconds from `now` until a send to `chat_id` fits every limit (0 when it fits now)."""
        delays = [scope.delay(now) for scope in self._scopes(chat_id)]
        return max(0.0, self._spacing.delay(now), *delays)

    def record(self, chat_id: ChatId, now: float, *, tracked: bool = False) -> Send:
        """Count a send leaving at `now`. A `tracked` send is in flight until :meth:`answered`;
        an untracked one counts from `now` plus the measured skew."""
        send = Send(chat_id, now, None if tracked else now + self.skew, done=not tracked)
        for scope in self._scopes(chat_id):
            scope.sends.append(send)
        self._spacing.record(now)
        return send

    def answered(self, send: Send, *, refused: bool = False) -> None:
        """The answer to `send` came (or its error): it counts from now. A `refused` send (429)
        does not count at all."""
        if send.done:
            return
        now = self.clock()
        send.done = True
        if refused:
            for scope in self._scopes(send.chat_id):
                scope.forget(send)
            self._spacing.give_back()
        else:
            self._round_trips.append(now - send.left)
            send.counted_at = now
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def acquire(self, chat_id: ChatId, *, tracked: bool = False) -> Send:
        """Wait until a send to `chat_id` fits, then count it; the caller sends right away."""
        while True:
            now = self.clock()
            delay = self.delay_until_ready(chat_id, now)
            if delay <= 0:
                return self.record(chat_id, now, tracked=tracked)
            await self._sleep(delay)

    @contextlib.asynccontextmanager
    async def sending(self, chat_id: ChatId) -> AsyncIterator[Send]:
        """Wait for the turn of a send to `chat_id`; it counts as in flight until the block ends
        (call :meth:`answered` with ``refused=True`` inside it for a 429)."""
        send = await self.acquire(chat_id, tracked=True)
        try:
            yield send
        finally:
            self.answered(send)

    def block(self, seconds: float, chat_id: ChatId | None = None) -> None:
        """After a 429: no sends to `chat_id` (to any chat when None) for `seconds`, then a
        lower pace in that scope for a while."""
        now = self.clock()
        scopes = [self._global] if chat_id is None else self._scopes(chat_id)[1:]
        for scope in scopes:
            scope.slow_down(now, seconds)

    def seed(self, sends: Iterable[tuple[ChatId, datetime]], *, now: datetime) -> int:
        """Count sends made before this pacer existed (the delivery log after a restart, or
        another instance's sends): each `(chat_id, at)` counts from `at`, the time its outcome
        was logged, which is after Telegram received it. Returns how many were taken."""
        clock_now, taken = self.clock(), 0
        for chat_id, at in sends:
            when = clock_now - (now - at).total_seconds()
            send = Send(chat_id, when, when, done=True)
            for scope in self._scopes(chat_id):
                scope.sends.append(send)
            taken += 1
        scopes: list[_Scope] = [self._global, *self._groups.values(), *self._chats.values()]
        for each in scopes:
            each.sends = deque(sorted(each.sends, key=lambda s: s.left))
        return taken

    @property
    def longest_window(self) -> float:
        """How far back past sends still matter (what :meth:`seed` needs)."""
        return max(self._global.window, self._group_window)

    # -- measurements -----------------------------------------------------------------------

    @property
    def round_trips(self) -> tuple[float, ...]:
        """The last round trips measured (leave to answer), oldest first."""
        return tuple(self._round_trips)

    @property
    def skew(self) -> float:
        """The longest recent round trip: how late after leaving a send may arrive. Before any
        answer is measured, a quarter second."""
        return max(self._round_trips, default=0.25)

    # -- internals --------------------------------------------------------------------------

    def _scopes(self, chat_id: ChatId) -> list[_Window | _ChatRule]:
        scopes: list[_Window | _ChatRule] = [self._global]
        group = is_group(chat_id)
        if group:
            scopes.append(self._group(chat_id))
        if not group or self._per_chat_in_groups:
            scopes.append(self._chat(chat_id))
        return scopes

    def _group(self, chat_id: ChatId) -> _Window:
        window = self._groups.get(chat_id)
        if window is None:
            window = _Window(self._group_limit, self._group_window, self.adapt_for)
            self._groups[chat_id] = window
        return window

    def _chat(self, chat_id: ChatId) -> _ChatRule:
        rule = self._chats.get(chat_id)
        if rule is None:
            rule = _ChatRule(self._chat_rate, self._chat_burst, self.adapt_for)
            self._chats[chat_id] = rule
        return rule

    async def _sleep(self, delay: float) -> None:
        """Sleep `delay`, or less when an answer comes (a send in flight may be what holds)."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait({waiter}, timeout=delay)
        finally:
            self._waiters.discard(waiter)
