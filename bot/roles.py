"""The work one instance at a time does, when several share one database.

Each role (``updates``: receiving updates by long polling; ``scheduler``: schedules, digests,
review notices and retention; ``sender``: the outbox) is a lease row (bot.storage.leases). Every
``renew_every`` each instance tries every role: the holder renews its lease, the others take it
once it has run out, so a dead holder is replaced within ``lease + renew_every``. Winning a role
runs its ``gain`` (start polling, restore schedules, start sending), losing it its ``lose``.

A holder that cannot reach the database keeps its role only until its lease would have run
out, minus a margin, and then steps down: by the time another instance may take the role, it
has stopped doing the work. Feed checks and outbox rows need no role: they are claimed row by
row, and every instance takes part.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.deliver.claims import new_worker_token, process_is_gone
from bot.settings import InstancesConfig
from bot.storage import Store

log = logging.getLogger(__name__)

Action = Callable[[], Awaitable[None]]

UPDATES, SCHEDULER, SENDER = "updates", "scheduler", "sender"


async def _nothing() -> None:
    return None


@dataclass
class Role:
    name: str
    gain: Action
    lose: Action
    keep: Action = _nothing  # each round while held (the scheduler picks up new schedules)
    held_until: float | None = None  # time.monotonic() deadline while held; None: not held
    generation: int | None = None  # of the lease while held (bot.storage.leases)
    pending: asyncio.Future[int | None] | None = None  # the lease call under way
    asked_at: float = 0.0  # time.monotonic() when it was made


class Roles:
    def __init__(self, store: Store, config: InstancesConfig, holder: str | None = None) -> None:
        self.store, self.config = store, config
        self.holder = holder or new_worker_token()
        self._roles: dict[str, Role] = {}
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()  # one round at a time

    def holds(self, name: str) -> bool:
        role = self._roles.get(name)
        return role is not None and role.held_until is not None

    def generation(self, name: str) -> int | None:
        """The generation of the lease this instance holds for `name` (None: not held)."""
        role = self._roles.get(name)
        return role.generation if role is not None and role.held_until is not None else None

    def fence(self, name: str) -> Callable[[], bool]:
        """A check for the role's work to make before each step that must not outlive the lease
        (a send): True while the lease is surely still this instance's by its own reckoning."""

        def valid() -> bool:
            role = self._roles.get(name)
            return role is not None and _before(role.held_until)

        return valid

    async def add(self, name: str, gain: Action, lose: Action, keep: Action = _nothing) -> bool:
        """Take part in a role; tries it at once. Returns whether this instance holds it."""
        role = self._roles[name] = Role(name, gain, lose, keep)
        async with self._lock:
            await self._tend(role)
        return self.holds(name)

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="roles")

    async def stop(self) -> None:
        """Stop every role held and hand the leases back, so another instance takes over at
        its next try rather than after the lease runs out."""
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        async with self._lock:
            for role in self._roles.values():
                if role.held_until is not None:
                    await self._step_down(role)
                    try:
                        await asyncio.to_thread(self.store.release_lease, role.name, self.holder)
                    except Exception:
                        log.exception("lease not released role=%s", role.name)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._next_round())
            async with self._lock:  # the roles side by side: one hanging call delays no other
                roles = list(self._roles.values())
                done = await asyncio.gather(*map(self._tend, roles), return_exceptions=True)
            for role, result in zip(roles, done, strict=True):
                if isinstance(result, Exception):
                    log.error("role round failed role=%s error=%r", role.name, result)

    async def _tend(self, role: Role) -> None:
        started = time.monotonic()
        # A call that hangs (a lock, a network black hole) must not keep the work going past
        # the lease: it is given up on when the role's time is up.
        patience = self.config.lease.total_seconds()
        if role.held_until is not None:
            patience = max(0.05, role.held_until - started)
        if role.pending is None or role.pending.done():  # never two calls hanging at once
            role.asked_at = started
            role.pending = asyncio.ensure_future(
                asyncio.to_thread(
                    self.store.acquire_lease,
                    role.name,
                    self.holder,
                    now=datetime.now(UTC),
                    ttl=self.config.lease,
                    gone=process_is_gone,
                )
            )
        try:
            won = await asyncio.wait_for(asyncio.shield(role.pending), timeout=patience)
        except Exception as exc:
            log.warning("lease not renewed role=%s error=%r", role.name, exc)
            if _before(role.held_until):
                return  # still ours for a while: go on working (the watchdog stops it in time)
            won = None
        if won is None:
            if role.held_until is not None:
                log.warning("role lost role=%s holder=%s", role.name, self.holder)
                await self._step_down(role)
            return
        # the lease runs from when it was asked for (a call may have hung over several rounds)
        if role.held_until is None:
            role.generation = won
            await self._take(role, role.asked_at)
        else:
            role.held_until = role.asked_at + self._keep_for()
            await self._run(role, role.keep, "keep")

    def _next_round(self) -> float:
        """Seconds to the next round: `renew_every`, or sooner when a held lease's time is up
        before then (a holder that could not renew steps down on time, not a round late)."""
        wait = self.config.renew_every.total_seconds()
        now = time.monotonic()
        for role in self._roles.values():
            if role.held_until is not None:
                wait = min(wait, max(0.0, role.held_until - now))
        return wait

    def _keep_for(self) -> float:
        """How long a renewed lease is worked on without another renewal: a renewal short of
        the lease, so the work stops before anyone else may take it."""
        return (self.config.lease - self.config.renew_every).total_seconds()

    async def _take(self, role: Role, started: float) -> None:
        role.held_until = started + self._keep_for()
        log.info("role taken role=%s holder=%s", role.name, self.holder)
        if not await self._run(role, role.gain, "gain"):
            role.held_until = None
            await asyncio.to_thread(self.store.release_lease, role.name, self.holder)

    async def _step_down(self, role: Role) -> None:
        role.held_until = role.generation = None
        await self._run(role, role.lose, "lose")

    @staticmethod
    async def _run(role: Role, action: Action, what: str) -> bool:
        try:
            await action()
        except Exception:
            log.exception("role %s failed role=%s", what, role.name)
            return False
        return True


def _before(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() < deadline
