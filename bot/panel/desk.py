"""What the panel's routes reach: the services, the logins and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.services.base import Actor
from bot.services.panel_login import PanelLogins
from bot.storage.logins import PanelSession

if TYPE_CHECKING:
    from bot.services import Services

Clock = Callable[[], datetime]
VIA_PANEL = "panel"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Desk:
    services: Services
    logins: PanelLogins
    clock: Clock = utc_now


def via_panel(name: str | None, user_id: int) -> str:
    """The audit log's name for someone acting through the panel: "@budi (panel)"."""
    return f"{name or user_id} ({VIA_PANEL})"


def actor_of(user_id: int, name: str | None) -> Actor:
    """Who acts through the panel, for the services' admin rule and audit records: their id,
    their name marked "(panel)", and no chat (the web)."""
    return Actor(user_id, via_panel(name, user_id), None)


def panel_actor(session: PanelSession) -> Actor:
    return actor_of(session.user_id, session.user_name)


def make_logins(services: Services, clock: Clock = utc_now) -> PanelLogins:
    async def audit(user_id: int, name: str | None, action: str, detail: str) -> None:
        await services.audit.record(actor_of(user_id, name), action, detail)

    return PanelLogins(services.store, services.is_admin, audit, clock=clock)


def desk_of(bot_data: Any) -> Desk | None:
    """The application's desk, made once its services run (None while the bot is starting)."""
    existing: Desk | None = getattr(bot_data, "panel_desk", None)
    if existing is not None:
        return existing
    services = getattr(bot_data, "services", None)
    if services is None:
        return None
    desk = Desk(services, make_logins(services))
    bot_data.panel_desk = desk
    return desk
