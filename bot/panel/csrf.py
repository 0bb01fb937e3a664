"""Cross-site request forgery: every POST carries its session's token.

The token is random per session (bot.services.panel_login), put in every form as a hidden field
and compared in constant time. The session cookie is SameSite=Lax besides, so another site's
form does not even send it; a POST without the token is refused with 403 and changes nothing."""

from __future__ import annotations

import secrets

from bot.storage.logins import PanelSession

FIELD = "csrf"


def valid(form: dict[str, str], session: PanelSession) -> bool:
    return secrets.compare_digest(form.get(FIELD, "").encode(), session.csrf.encode())
