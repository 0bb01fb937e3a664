"""What the panel's routes reach: the services, the schedule runner, the logins and a clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.editorial.actions import Actor
from bot.services.panel_login import PanelLogins
from bot.storage.logins import PanelSession

if TYPE_CHECKING:
    from bot.broadcast.scheduler import BroadcastScheduler
    from bot.services import Services

Clock = Callable[[], datetime]
VIA_PANEL = "panel"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Desk:
    services: Services
    scheduler: BroadcastScheduler
    logins: PanelLogins
    clock: Clock = utc_now


def make_logins(services: Services, clock: Clock = utc_now) -> PanelLogins:
    store = services.store

    async def audit(user_id: int, name: str | None, action: str, detail: str) -> None:
        await asyncio.to_thread(
            store.record_audit,
            user_id=user_id,
            user_name=via_panel(name, user_id),
            chat_id=None,
            action=action,
            detail=detail,
            now=clock(),
        )

    return PanelLogins(store, services.is_admin, audit, clock=clock)


def desk_of(bot_data: Any) -> Desk | None:
    """The application's desk, made once its services run (None while the bot is starting)."""
    existing: Desk | None = getattr(bot_data, "panel_desk", None)
    if existing is not None:
        return existing
    services = getattr(bot_data, "services", None)
    scheduler = getattr(bot_data, "scheduler", None)
    if services is None or scheduler is None:
        return None
    desk = Desk(services, scheduler, make_logins(services))
    bot_data.panel_desk = desk
    return desk


def via_panel(name: str | None, user_id: int) -> str:
    """The audit log's name for someone acting through the panel: "@budi (panel)"."""
    return f"{name or user_id} ({VIA_PANEL})"


def panel_actor(session: PanelSession) -> Actor:
    """Who acts through the panel, for the services' audit records (no chat: the web)."""
    return Actor(session.user_id, via_panel(session.user_name, session.user_id), None)
