"""Every page renders for an admin, in Indonesian or English; changes need a POST with the CSRF
token; everything is escaped; every page carries the Content-Security-Policy and no asset from
another host; actions are recorded as done through the panel, by whom."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.services.base import Actor
from bot.storage.schema import BroadcastRow
from tests.panel.conftest import ADMIN, Panel

PAGES = ["/panel", "/panel/tinjauan", "/panel/siaran", "/panel/kanal", "/panel/sumber"]
PAGES += ["/panel/riwayat"]
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def broadcasts(panel: Panel) -> int:
    with panel.services.store.session() as session:
        return int(session.scalar(select(func.count()).select_from(BroadcastRow)) or 0)


@pytest.mark.parametrize("path", PAGES)
async def test_pages_need_a_session(panel: Panel, path: str):
    response = await panel.client.get(path)
    assert response.status_code == 401 and "/panel" in response.text


async def test_every_page_renders_with_csp_and_nothing_from_another_host(panel: Panel):
    await panel.login()
    for path in PAGES:
        response = await panel.client.get(path)
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert not re.search(r'(src|href)="(https?:)?//', response.text), path
        assert "style=" not in response.text and "<script>" not in response.text
    css = await panel.client.get("/panel/statis/panel.css")
    assert css.status_code == 200 and "@media" in css.text


async def test_english_when_the_browser_asks(panel: Panel):
    await panel.login()
    english = await panel.client.get("/panel", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Overview" in english.text and "Log out" in english.text
    mixed = await panel.client.get("/panel", headers={"Accept-Language": "id,en;q=0.5"})
    assert "Ringkasan" in mixed.text and "Keluar" in mixed.text


async def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(panel: Panel):
    csrf = await panel.login()
    form = {"teks": "Rapat koordinasi", "kapan": "sekarang", "ke": ["-1001", "-1002"]}
    for data in (form, {**form, "csrf": "salah"}):
        response = await panel.client.post("/panel/siaran", data=data)
        assert response.status_code == 403 and "ditolak" in response.text
    assert broadcasts(panel) == 0 and panel.services.store.outbox_pending() == 0
    ok = await panel.client.post("/panel/siaran", data={**form, "csrf": csrf})
    assert ok.status_code == 303 and broadcasts(panel) == 1
    assert panel.services.store.outbox_pending() == 2  # queued for both channels at once


async def test_no_change_through_get(panel: Panel):
    await panel.login()
    for path in (
        "/panel/keluar",
        "/panel/tinjauan/1",
        "/panel/siaran/1/batal",
        "/panel/kanal/aktifkan",
    ):
        assert (await panel.client.get(path)).status_code == 405, path
    assert (await panel.client.get("/panel")).status_code == 200  # still logged in


async def test_a_broadcast_scheduled_in_wit_is_stored_at_that_moment_and_audited(panel: Panel):
    csrf = await panel.login()
    later = panel.clock.now + timedelta(days=1)
    local = later.astimezone(ZoneInfo("Asia/Jayapura"))
    form = {
        "csrf": csrf,
        "teks": "Apel siaga <b>pemilu</b>",
        "kapan": "jadwal",
        "tanggal": local.date().isoformat(),
        "jam": local.strftime("%H:%M:%S"),
        "zona": "WIT",
        "ulang": "once",
        "ke": ["-1002"],
    }
    response = await panel.client.post("/panel/siaran", data=form)
    assert response.status_code == 303
    (pending,) = panel.services.store.pending_schedules()
    assert pending.draft.run_at == later and pending.draft.timezone == "Asia/Jayapura"
    assert pending.draft.targets == ("-1002",)
    assert pending.draft.html == "Apel siaga &lt;b&gt;pemilu&lt;/b&gt;"
    assert panel.timer.arranged == [pending.id]
    page = (await panel.client.get("/panel/siaran")).text
    assert "WIT" in page and "&lt;b&gt;pemilu" in page

    cancel = await panel.client.post(f"/panel/siaran/{pending.id}/batal", data={"csrf": csrf})
    assert cancel.status_code == 303 and panel.services.store.pending_schedules() == []
    assert panel.timer.forgotten == [pending.id]
    actions = [(e.action, e.user_name) for e in reversed(panel.services.store.audit_entries())]
    assert actions[1:] == [
        ("broadcast_draft", "@budi (panel)"),
        ("broadcast_confirm", "@budi (panel)"),
        ("schedule_cancel", "@budi (panel)"),
    ]


async def test_a_past_time_is_refused(panel: Panel):
    csrf = await panel.login()
    past = panel.clock.now - timedelta(hours=1)
    form = {
        "csrf": csrf,
        "teks": "Terlambat",
        "kapan": "jadwal",
        "tanggal": past.date().isoformat(),
        "jam": past.strftime("%H:%M"),
        "zona": "WIB",
        "ulang": "once",
        "ke": ["-1001"],
    }
    response = await panel.client.post("/panel/siaran", data=form)
    assert response.status_code == 400 and "sudah lewat" in response.text
    assert broadcasts(panel) == 0


async def test_everything_from_data_is_escaped(panel: Panel):
    store = panel.services.store
    store.record_audit(
        user_id=9, user_name=EVIL, chat_id=None, action="x", detail=EVIL, now=panel.clock.now
    )
    await panel.login()
    page = (await panel.client.get("/panel/riwayat")).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


async def test_history_downloads_csv_and_json_with_filters(panel: Panel):
    store = panel.services.store
    store.record_audit(
        user_id=9,
        user_name="=HYPERLINK(1)",
        chat_id=None,
        action="x",
        detail="d",
        now=panel.clock.now,
    )
    await panel.login()
    as_csv = await panel.client.get("/panel/riwayat.csv")
    assert as_csv.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert {r["action"] for r in rows} == {"x", "panel_login"}
    assert "'=HYPERLINK(1)" in {r["actor"] for r in rows}
    as_json = json.loads((await panel.client.get("/panel/riwayat.json?orang=budi")).text)
    assert [r["action"] for r in as_json] == ["panel_login"]
    assert as_json[0]["at"].endswith("+08:00")  # the config's zone (WITA)
    none = json.loads((await panel.client.get("/panel/riwayat.json?jenis=delivery")).text)
    assert none == []


async def test_adding_a_feed_that_is_not_http_is_refused(panel: Panel):
    csrf = await panel.login()
    response = await panel.client.post(
        "/panel/sumber/tambah", data={"csrf": csrf, "url": "file:///etc/passwd"}
    )
    assert response.status_code == 400 and "http://" in response.text
    assert panel.services.store.admin_feeds() == []


async def test_the_broadcast_page_warns_of_pauses_in_force(panel: Panel):
    await panel.login()
    assert "dijeda" not in (await panel.client.get("/panel/siaran")).text
    await panel.services.editorial.pause(["-1001"], None, Actor(ADMIN))
    page = (await panel.client.get("/panel/siaran")).text
    assert "sedang dijeda untuk: Humas -1001" in page and "tetap terkirim" in page


async def test_a_weekly_digest_is_scheduled_without_text(panel: Panel):
    csrf = await panel.login()
    later = (panel.clock.now + timedelta(days=2)).astimezone(ZoneInfo("Asia/Makassar"))
    form = {
        "csrf": csrf,
        "isi": "ringkasan",
        "teks": "",
        "kapan": "jadwal",
        "tanggal": later.date().isoformat(),
        "jam": later.strftime("%H:%M"),
        "zona": "WITA",
        "ulang": "weekly",
        "ke": ["-1001", "-1002"],
    }
    assert (await panel.client.post("/panel/siaran", data=form)).status_code == 303
    (pending,) = panel.services.store.pending_schedules()
    assert pending.draft.content == "digest" and pending.draft.repeat == "weekly"
    assert pending.draft.targets is None  # every channel ticked: every active channel
    assert "ringkasan berita" in (await panel.client.get("/panel/siaran")).text


async def test_an_empty_text_is_refused_by_the_broadcast_service(panel: Panel):
    csrf = await panel.login()
    form = {"csrf": csrf, "isi": "teks", "teks": "  ", "kapan": "sekarang", "ke": ["-1001"]}
    response = await panel.client.post("/panel/siaran", data=form)
    assert response.status_code == 400 and "masih kosong" in response.text
    assert broadcasts(panel) == 0
