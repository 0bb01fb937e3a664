"""Logging in to the web panel without passwords: an admin asks the bot (`/panel`) for a link.

- A link carries 256 random bits, is stored as its SHA-256, is valid LINK_TTL and works once.
- Opening it starts a session of SESSION_TTL: the browser keeps a random cookie (also stored
  hashed) and the session's CSRF token.
- A session is good only while its owner is an admin: removing an admin (by the bot, another
  instance, or the config) ends their sessions at their next request. Logging out ends one.
- Each login and logout is in the audit log.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.storage.base import HasSession
from bot.storage.logins import LinkOwner, LoginQueries, PanelSession

log = logging.getLogger(__name__)

LINK_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=12)
TOKEN_BYTES = 32  # 256 bits: links and session cookies
LOGIN_PATH = "/panel/masuk"

Clock = Callable[[], datetime]
IsAdmin = Callable[[int], Awaitable[bool]]
Audit = Callable[[int, str | None, str, str], Awaitable[None]]  # user, name, action, detail


def _utc_now() -> datetime:
    return datetime.now(UTC)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Started:
    """A session just started: the cookie to set and whose it is."""

    cookie: str
    session: PanelSession


class PanelLogins:
    def __init__(
        self,
        store: HasSession,
        is_admin: IsAdmin,
        audit: Audit,
        *,
        clock: Clock = _utc_now,
        link_ttl: timedelta = LINK_TTL,
        session_ttl: timedelta = SESSION_TTL,
    ) -> None:
        self.queries = LoginQueries(store)
        self.is_admin, self.audit, self.clock = is_admin, audit, clock
        self.link_ttl, self.session_ttl = link_ttl, session_ttl

    async def link(self, base_url: str, user_id: int, user_name: str | None) -> str | None:
        """A one-time login link for an admin; None for anyone else."""
        if not await self.is_admin(user_id):
            return None
        token = secrets.token_urlsafe(TOKEN_BYTES)
        await asyncio.to_thread(
            self.queries.add_link,
            digest(token),
            user_id,
            user_name,
            now=self.clock(),
            ttl=self.link_ttl,
        )
        log.info("panel link issued user_id=%s", user_id)
        return f"{base_url}{LOGIN_PATH}?token={token}"

    async def redeem(self, token: str) -> Started | None:
        """Use a link: a new session, or None when the link is unknown, used or expired (or its
        owner is no longer an admin)."""
        if not token or len(token) > 200:
            return None
        now = self.clock()
        owner = await asyncio.to_thread(self.queries.use_link, digest(token), now=now)
        if owner is None or not await self.is_admin(owner.user_id):
            return None
        return await self._start(owner, now)

    async def _start(self, owner: LinkOwner, now: datetime) -> Started:
        cookie, csrf = secrets.token_urlsafe(TOKEN_BYTES), secrets.token_urlsafe(TOKEN_BYTES)
        await asyncio.to_thread(
            self.queries.add_session, digest(cookie), owner, csrf, now=now, ttl=self.session_ttl
        )
        await self.audit(owner.user_id, owner.user_name, "panel_login", "")
        session = PanelSession(owner.user_id, owner.user_name, csrf, now + self.session_ttl)
        return Started(cookie, session)

    async def current(self, cookie: str | None) -> PanelSession | None:
        """The session this cookie opens, while it lasts and its owner is an admin."""
        if not cookie or len(cookie) > 200:
            return None
        now = self.clock()
        found = await asyncio.to_thread(self.queries.find_session, digest(cookie), now=now)
        if found is None:
            return None
        if not await self.is_admin(found.user_id):
            ended = await asyncio.to_thread(self.queries.end_sessions_of, found.user_id, now=now)
            log.info("panel sessions ended user_id=%s count=%s", found.user_id, ended)
            return None
        return found

    async def logout(self, cookie: str, session: PanelSession) -> None:
        await asyncio.to_thread(self.queries.end_session, digest(cookie), now=self.clock())
        await self.audit(session.user_id, session.user_name, "panel_logout", "")

    async def end_sessions_of(self, user_id: int) -> int:
        """When an admin is removed: their sessions and unused links end now."""
        return await asyncio.to_thread(self.queries.end_sessions_of, user_id, now=self.clock())
