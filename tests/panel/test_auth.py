"""Logging in without passwords: one-time links, sessions, their cookie, logout, and removed
admins (in-process, with an injected clock)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from bot.services.base import Actor
from bot.services.panel_login import digest
from bot.storage.logins import PanelLinkRow, PanelSessionRow
from tests.panel.conftest import ADMIN, OTHER, Panel, make_panel


async def test_a_link_starts_a_session_once_with_a_safe_cookie(panel: Panel):
    link = await panel.link()
    assert link.startswith("http://testserver/panel/masuk?token=")
    token = parse_qs(urlsplit(link).query)["token"][0]
    assert len(token) >= 43  # 256 random bits, URL-safe base64
    with panel.services.store.session() as session:  # stored hashed, never as given
        row = session.scalars(select(PanelLinkRow)).one()
        assert row.token_hash == digest(token) and token not in row.token_hash

    response = await panel.client.get(link)
    assert response.status_code == 303 and response.headers["location"] == "/panel"
    cookie = response.headers["set-cookie"]
    assert "humasbot_panel=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Max-Age=43200" in cookie and "Secure" not in cookie  # 12 hours; http here
    assert (await panel.client.get("/panel")).status_code == 200

    panel.client.cookies.clear()
    again = await panel.client.get(link)
    assert again.status_code == 403 and "set-cookie" not in again.headers
    assert "sudah dipakai" in again.text
    assert (await panel.client.get("/panel")).status_code == 401


async def test_an_expired_link_starts_nothing(panel: Panel):
    link = await panel.link()
    panel.clock.advance(timedelta(minutes=10, seconds=1))
    response = await panel.client.get(link)
    assert response.status_code == 403 and "set-cookie" not in response.headers
    assert (await panel.client.get("/panel")).status_code == 401


async def test_a_link_just_in_time_works(panel: Panel):
    link = await panel.link()
    panel.clock.advance(timedelta(minutes=9, seconds=59))
    assert (await panel.client.get(link)).status_code == 303


async def test_unknown_and_missing_tokens_are_refused(panel: Panel):
    for path in ("/panel/masuk?token=salah", "/panel/masuk", "/panel/masuk?token=" + "x" * 300):
        assert (await panel.client.get(path)).status_code == 403


async def test_no_link_for_someone_who_is_not_an_admin(panel: Panel):
    assert await panel.desk.logins.link("http://x", OTHER, "@orang") is None
    with panel.services.store.session() as session:
        assert session.scalars(select(PanelLinkRow)).all() == []


async def test_a_session_lasts_12_hours(panel: Panel):
    await panel.login()
    panel.clock.advance(timedelta(hours=11, minutes=59))
    assert (await panel.client.get("/panel")).status_code == 200
    panel.clock.advance(timedelta(minutes=2))
    response = await panel.client.get("/panel")
    assert response.status_code == 401 and "/panel" in response.text


async def test_logout_ends_the_session(panel: Panel):
    csrf = await panel.login()
    response = await panel.client.post("/panel/keluar", data={"csrf": csrf})
    assert response.status_code == 200 and "keluar" in response.text
    assert 'humasbot_panel=""' in response.headers["set-cookie"]
    with panel.services.store.session() as session:
        assert session.scalars(select(PanelSessionRow)).one().ended_at is not None
    assert (await panel.client.get("/panel")).status_code == 401


async def test_removing_an_admin_ends_their_sessions(panel: Panel):
    await panel.services.channels.add_admin(77, Actor(ADMIN))
    await panel.login(77)
    assert (await panel.client.get("/panel/kanal")).status_code == 200
    await panel.services.channels.remove_admin(77, Actor(ADMIN))
    with panel.services.store.session() as session:  # ended at the removal, before any request
        assert all(s.ended_at for s in session.scalars(select(PanelSessionRow)))
    assert (await panel.client.get("/panel/kanal")).status_code == 401


async def test_login_and_logout_are_in_the_audit_log(panel: Panel):
    csrf = await panel.login()
    await panel.client.post("/panel/keluar", data={"csrf": csrf})
    entries = panel.services.store.audit_entries()
    assert [(e.action, e.user_id, e.user_name, e.chat_id) for e in reversed(entries)] == [
        ("panel_login", ADMIN, "@budi (panel)", None),
        ("panel_logout", ADMIN, "@budi (panel)", None),
    ]


async def test_under_https_the_cookie_is_secure_and_host_only(tmp_path: Path):
    database = f"sqlite:///{tmp_path / 'panel.db'}"
    async for panel in make_panel(database, http={"public_url": "https://humas.example.go.id/"}):
        assert panel.services.config.http.panel_base() == "https://humas.example.go.id"
        response = await panel.client.get(await panel.link())
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("__Host-humasbot_panel=") and "Secure" in cookie
        assert "Path=/" in cookie and "HttpOnly" in cookie


async def test_a_link_checker_or_a_prefetch_does_not_use_the_link_up(panel: Panel):
    link = await panel.link()
    assert (await panel.client.head(link)).status_code == 204
    prefetch = await panel.client.get(link, headers={"Sec-Purpose": "prefetch"})
    assert prefetch.status_code == 204 and "set-cookie" not in prefetch.headers
    assert (await panel.client.get(link)).status_code == 303  # still good for the person
