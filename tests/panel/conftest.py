"""The panel in-process: real services on a SQLite file, a recording sink, an injected clock,
and Starlette's test client on the server's app with the panel's routes."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from bot.deliver.pacer import Pacer
from bot.http.health import Readiness
from bot.http.metrics import Metrics
from bot.http.server import create_app
from bot.panel import panel_routes
from bot.panel.desk import Desk, make_logins
from bot.services import Services
from bot.settings import parse_config
from tests.e2e.conftest import bot_api, bot_env, config_file, feeds  # noqa: F401 (fixtures)
from tests.fakes.timer import RecordingTimer
from tests.http.conftest import base, port, run_service  # noqa: F401 (fixtures)
from tests.pipeline.support import RecordingSink

ADMIN, OTHER = 42, 555
CHANNELS = ["-1001", "-1002"]


class PanelSink(RecordingSink):
    """Records sends, deletions and edits (retractions and corrections)."""

    def __init__(self) -> None:
        super().__init__()
        self.deleted: list[tuple[int | str, int]] = []
        self.edited: list[tuple[int | str, int, str]] = []

    async def delete(self, chat_id: int | str, message_id: int) -> str | None:
        self.deleted.append((chat_id, message_id))
        return None

    async def edit(
        self, chat_id: int | str, message_id: int, html: str, *, caption: bool = False
    ) -> str | None:
        self.edited.append((chat_id, message_id, html))
        return None


class Clock:
    """The time the panel sees; tests move it instead of sleeping."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)  # the audit keeps real time

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Panel:
    client: httpx.AsyncClient
    desk: Desk
    clock: Clock
    timer: RecordingTimer
    sink: PanelSink

    @property
    def services(self) -> Services:
        return self.desk.services

    async def link(self, user_id: int = ADMIN, name: str | None = "@budi") -> str:
        link = await self.desk.logins.link(str(self.client.base_url), user_id, name)
        assert link is not None
        return link

    async def login(self, user_id: int = ADMIN) -> str:
        """Log in through a fresh link; returns the session's CSRF token."""
        response = await self.client.get(await self.link(user_id))
        assert response.status_code == 303 and response.headers["location"] == "/panel"
        return csrf_of((await self.client.get("/panel")).text)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page carries no CSRF token"
    return found.group(1)


async def make_panel(database: str, **extra: Any) -> AsyncIterator[Panel]:
    config = parse_config(
        {
            "database": database,
            "admins": [ADMIN],
            "channels": [{"chat_id": int(c), "name": f"Humas {c}"} for c in CHANNELS],
            "http": {"listen": "127.0.0.1:8080", **extra.pop("http", {})},
            "fetch": {"allow_private_addresses": True, "timeout": 5},
            **extra,
        }
    )
    sink = PanelSink()
    fast = Pacer(global_per_second=1000, group_per_minute=1000, chat_per_second=1000)
    services = Services.create(config, sink, pacer=fast)
    clock, timer = Clock(), RecordingTimer()
    services.broadcasts.timer = timer
    desk = Desk(services, make_logins(services, clock), clock)
    app = create_app(
        metrics=Metrics("sqlite"),
        readiness=Readiness(lambda: services, None),  # type: ignore[arg-type]
        services=lambda: services,
        routes=panel_routes(lambda: desk),
    )
    public = config.http.public_url or "http://testserver"
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=public) as client:
        yield Panel(client, desk, clock, timer, sink)
    await services.aclose()


@pytest.fixture
async def panel(database_url: str) -> AsyncIterator[Panel]:
    """The panel on a SQLite file, then on PostgreSQL."""
    async for made in make_panel(database_url):
        yield made
