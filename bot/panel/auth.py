"""Logging in with the bot's one-time link, and out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.panel.web import GetDesk, Page, cookie_name, language, plain, render, secure
from bot.services.panel_login import SESSION_TTL


def not_a_visit(request: Request) -> bool:
    """HEAD (link checkers), or a browser's prefetch ("Sec-Purpose: prefetch")."""
    purpose = request.headers.get("sec-purpose", "") + request.headers.get("purpose", "")
    return request.method == "HEAD" or "prefetch" in purpose.lower()


def login(get_desk: GetDesk) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        """/panel/masuk?token=…: a good link starts a session and lands on /panel; a used,
        expired or unknown one starts nothing."""
        desk = get_desk()
        if desk is None:
            return plain(request, language(request, "id"), "panel_starting", 503)
        lang = language(request, desk.services.config.language)
        if not_a_visit(request):  # a link checker or a prefetch must not use the link up
            return Response(status_code=204, headers={"Cache-Control": "no-store"})
        started = await desk.logins.redeem(request.query_params.get("token", ""))
        if started is None:
            return plain(request, lang, "panel_link_refused", 403)
        response = RedirectResponse("/panel", status_code=303)
        response.set_cookie(
            cookie_name(desk, request),
            started.cookie,
            max_age=int(SESSION_TTL.total_seconds()),
            path="/",
            httponly=True,
            samesite="lax",
            secure=secure(desk, request),
        )
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    return endpoint


async def logout(page: Page) -> Response:
    """Keluar: the session ends here (POST with the CSRF token)."""
    cookie = page.request.cookies.get(cookie_name(page.desk, page.request), "")
    await page.desk.logins.logout(cookie, page.session)
    response = render(
        page.request, page.desk, page.lang, "message.html", key="panel_logged_out", page=None
    )
    response.delete_cookie(
        cookie_name(page.desk, page.request),
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure(page.desk, page.request),
    )
    return response
