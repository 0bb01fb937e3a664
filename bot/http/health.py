"""Readiness: the database answers, the Bot API answers getMe, and polling keeps its schedule."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from telegram import Bot

from bot.log import redact

if TYPE_CHECKING:
    from bot.services import Services

CHECK_TIMEOUT = 3.0  # seconds: a probe must answer well within a load balancer's timeout
OVERDUE_INTERVALS = 2  # the last poll may be late by this many poll_tick intervals


class Readiness:
    """Runs the checks at once; each gives (ok, details)."""

    def __init__(self, services: Callable[[], Services | None], bot: Bot) -> None:
        self._services, self.bot = services, bot

    async def report(self) -> tuple[bool, dict[str, Any]]:
        services = self._services()
        if services is None:
            checks = {"service": {"ok": False, "error": "starting"}}
        else:
            names = ("database", "telegram", "poll")
            results = await asyncio.gather(
                self._timed(self._database(services)),
                self._timed(self._telegram()),
                self._timed(_poll(services)),
            )
            checks = dict(zip(names, results, strict=True))
        failed = [name for name, check in checks.items() if not check["ok"]]
        body = {"status": "fail" if failed else "ok", "failed": failed, "checks": checks}
        return not failed, body

    async def _timed(self, check: Awaitable[dict[str, Any]]) -> dict[str, Any]:
        try:
            return await asyncio.wait_for(check, timeout=CHECK_TIMEOUT + 1)
        except TimeoutError:
            return {"ok": False, "error": "no answer"}
        except Exception as exc:  # any failure is the answer; the token never goes out
            return {"ok": False, "error": redact(f"{type(exc).__name__}: {exc}", [self.bot.token])}

    async def _database(self, services: Services) -> dict[str, Any]:
        await asyncio.to_thread(services.store.ping)
        return {"ok": True}

    async def _telegram(self) -> dict[str, Any]:
        wait = CHECK_TIMEOUT
        me = await self.bot.get_me(
            read_timeout=wait, connect_timeout=wait, write_timeout=wait, pool_timeout=wait
        )
        return {"ok": True, "username": me.username}


async def _poll(services: Services) -> dict[str, Any]:
    """The next poll was due one tick after the last one (or after the start)."""
    tick = services.config.poll_tick
    last = services.last_poll_at or services.started_at
    overdue = (datetime.now(UTC) - (last + tick)).total_seconds()
    return {
        "ok": overdue <= OVERDUE_INTERVALS * tick.total_seconds(),
        "last_poll": services.last_poll_at.isoformat() if services.last_poll_at else None,
        "overdue_seconds": round(max(overdue, 0.0), 1),
    }
