"""The panel's HTTP plumbing: sessions from the cookie, CSRF on every POST, the language from
Accept-Language, templates with autoescape, and the security headers of every page."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot import i18n
from bot.panel import csrf
from bot.panel import format as fmt
from bot.panel.desk import Desk
from bot.storage.logins import PanelSession

log = logging.getLogger(__name__)

COOKIE = "humasbot_panel"
SECURE_COOKIE = "__Host-humasbot_panel"  # a browser keeps it only from https, for this host
MAX_FORM_BYTES = 64 * 1024

# No asset from another host, no inline script or style: the panel works on an offline intranet
# and an injected tag can neither run nor load anything.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # a login link's token never leaves in a Referer
    "Cache-Control": "no-store",
}

GetDesk = Callable[[], Desk | None]


@functools.cache
def templates() -> Environment:
    folder = resources.files("bot.panel").joinpath("templates")
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(fmt.FILTERS)
    return env


def language(request: Request, default: str) -> str:
    """English when the browser prefers it to Indonesian; else the configured language."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        if tag.startswith("en"):
            return "en"
        if tag.startswith("id") or tag.startswith("in"):
            return "id"
    return i18n.language_for(None, default)


def secure(desk: Desk, request: Request) -> bool:
    public = desk.services.config.http.public_url or ""
    return public.startswith("https://") or request.url.scheme == "https"


def cookie_name(desk: Desk, request: Request) -> str:
    return SECURE_COOKIE if secure(desk, request) else COOKIE


@dataclass
class Page:
    """One request to a panel page: the desk, whose session, and the reader's language."""

    request: Request
    desk: Desk
    session: PanelSession
    lang: str
    form: dict[str, str]
    lists: dict[str, list[str]]

    def t(self, key: str, **fields: Any) -> str:
        return i18n.text(key, self.lang, **fields)

    def label(self, prefix: str, code: str) -> str:
        """The catalogue's name for a stored code (an outcome, a status), else the code."""
        key = f"{prefix}_{code}"
        return self.t(key) if key in i18n.catalogue()[i18n.DEFAULT_LANGUAGE] else code

    def render(self, template: str, status: int = 200, **values: Any) -> Response:
        return render(self.request, self.desk, self.lang, template, status, page=self, **values)

    def go(self, path: str, **query: str | int) -> Response:
        """After a POST: see the result at `path` (303, so a reload does not post again)."""
        suffix = "&".join(f"{k}={v}" for k, v in query.items())
        return RedirectResponse(f"{path}?{suffix}" if suffix else path, status_code=303)


def render(
    request: Request, desk: Desk | None, lang: str, template: str, status: int = 200, **values: Any
) -> Response:
    def t(key: str, **fields: Any) -> str:
        return i18n.text(key, lang, **fields)

    zone = desk.services.config.timezone if desk else "Asia/Makassar"
    body = (
        templates()
        .get_template(template)
        .render(t=t, lang=lang, zone=zone, path=request.url.path, **values)
    )
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def plain(request: Request, lang: str, key: str, status: int) -> Response:
    """A refusal as a small page of its own (no session needed)."""
    return render(request, None, lang, "message.html", status, key=key, page=None)


Handler = Callable[[Page], Awaitable[Response]]


def panel_page(get_desk: GetDesk) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """A page for a logged-in admin: no session, 401 with how to log in; a POST without the
    session's CSRF token, 403 and nothing done."""

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(handler)
        async def endpoint(request: Request) -> Response:
            desk = get_desk()
            if desk is None:
                return plain(request, language(request, "id"), "panel_starting", 503)
            lang = language(request, desk.services.config.language)
            cookie = request.cookies.get(cookie_name(desk, request))
            session = await desk.logins.current(cookie)
            if session is None:
                return plain(request, lang, "panel_login_needed", 401)
            form: dict[str, str] = {}
            lists: dict[str, list[str]] = {}
            if request.method == "POST":
                if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
                    return plain(request, lang, "panel_too_large", 413)
                raw = await request.form()
                form = {k: v for k, v in raw.items() if isinstance(v, str)}
                lists = {k: [v for v in raw.getlist(k) if isinstance(v, str)] for k in raw}
                if not csrf.valid(form, session):
                    log.warning("panel csrf refused user_id=%s", session.user_id)
                    return plain(request, lang, "panel_csrf_refused", 403)
            return await handler(Page(request, desk, session, lang, form, lists))

        return endpoint

    return wrap
