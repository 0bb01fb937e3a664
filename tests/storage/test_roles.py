"""Roles between instances: one holder at a time, taken over when the holder dies or stops."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import cast

import psycopg
import pytest
from sqlalchemy.engine import make_url

from bot.roles import Roles
from bot.settings import InstancesConfig
from bot.storage import Store
from tests.backends import conninfo

FAST = InstancesConfig(
    lease=timedelta(seconds=0.6), renew_every=timedelta(seconds=0.2), feed_lease=timedelta(1)
)


class Work:
    """What an instance does in a role: started and stopped, in order."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.changed = asyncio.Event()

    async def gain(self) -> None:
        self.events.append("gain")
        self.changed.set()

    async def lose(self) -> None:
        self.events.append("lose")
        self.changed.set()

    @property
    def running(self) -> bool:
        return bool(self.events) and self.events[-1] == "gain"


async def until(condition, within: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


@pytest.fixture
def stores(database_url):
    stores = [Store(database_url), Store(database_url)]
    yield stores
    for store in stores:
        store.close()


async def test_one_instance_holds_a_role_and_another_takes_over_when_it_dies(stores):
    first = Roles(stores[0], FAST, holder="host-a:1:a")
    second = Roles(stores[1], FAST, holder="host-b:1:b")
    work = [Work(), Work()]
    assert await first.add("updates", work[0].gain, work[0].lose)
    assert not await second.add("updates", work[1].gain, work[1].lose)
    first.start()
    second.start()
    await asyncio.sleep(FAST.lease.total_seconds() * 2)  # renewed: still the first's
    assert first.holds("updates") and not second.holds("updates")
    assert work[0].running and not work[1].events
    # the first instance dies: no more renewals, no clean release
    assert first._task is not None
    first._task.cancel()
    died = time.monotonic()
    await until(lambda: second.holds("updates"))
    taken_after = time.monotonic() - died
    assert work[1].running
    assert taken_after <= (FAST.lease + FAST.renew_every).total_seconds() + 0.5
    await second.stop()
    assert work[1].events == ["gain", "lose"]


async def test_a_clean_stop_hands_the_role_over_at_the_next_try(stores):
    first = Roles(stores[0], FAST, holder="host-a:1:a")
    second = Roles(stores[1], FAST, holder="host-b:1:b")
    work = [Work(), Work()]
    await first.add("scheduler", work[0].gain, work[0].lose)
    await second.add("scheduler", work[1].gain, work[1].lose)
    second.start()
    await first.stop()
    assert work[0].events == ["gain", "lose"]
    await until(lambda: second.holds("scheduler"), within=FAST.renew_every.total_seconds() * 5)
    await second.stop()


async def test_a_holder_that_cannot_reach_the_database_stops_before_its_lease_runs_out(
    stores, database_url
):
    roles = Roles(stores[0], FAST, holder="host-a:1:a")
    work = Work()
    await roles.add("sender", work.gain, work.lose)
    taken = time.monotonic()
    with locked_out(database_url):  # every write waits: the renewal cannot get through
        roles.start()
        await until(lambda: not work.running)
        assert time.monotonic() - taken < FAST.lease.total_seconds()
    await roles.stop()


@contextmanager
def locked_out(url: str) -> Iterator[None]:
    """Another connection holds the lock every renewal needs, until the block ends."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        conn = sqlite3.connect(parsed.database or "", isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    with psycopg.connect(conninfo(parsed)) as pg:
        pg.execute("LOCK TABLE leases IN ACCESS EXCLUSIVE MODE")
        yield
        pg.rollback()


class Unreachable:
    """A store whose lease calls fail at once while `down` (a refused connection), as when the
    database host went away."""

    def __init__(self, store: Store) -> None:
        self.store, self.down = store, False
        self.renewed = 0

    def acquire_lease(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.down:
            raise ConnectionRefusedError("the database does not answer")
        self.renewed += 1
        return self.store.acquire_lease(*args, **kwargs)

    def release_lease(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.down:
            raise ConnectionRefusedError("the database does not answer")
        return self.store.release_lease(*args, **kwargs)


async def test_a_holder_whose_renewals_fail_at_once_stops_while_its_lease_still_holds(stores):
    store = Unreachable(stores[0])
    roles = Roles(cast(Store, store), FAST, holder="host-a:1:a")
    fence = roles.fence("sender")
    work = Work()
    await roles.add("sender", work.gain, work.lose)
    assert fence() and roles.generation("sender") == 1
    roles.start()
    await until(lambda: store.renewed >= 3)  # renewing as it should
    store.down = True
    await until(lambda: not work.running)
    # stopped, and not a round late: no other instance could have taken the lease yet
    assert stores[1].lease_holder("sender", now=datetime.now(UTC)) == "host-a:1:a"
    assert not fence() and roles.generation("sender") is None
    store.down = False
    await roles.stop()
