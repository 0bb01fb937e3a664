"""The panel in a real browser (Debian's Chromium through Playwright) against a real `humasbot
run` and the local Bot API server: log in through the bot's link, publish from the review queue
and see it reach the channel, schedule a broadcast and see it fire; refusals (a POST without the
CSRF token, a reused link, an expired one, a non-admin's /panel); screenshots of every page at
desktop and phone sizes, none of them overflowing horizontally."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import CHANNELS
from tests.http.conftest import with_keys

CHROMIUM = Path(os.environ.get("HUMASBOT_CHROMIUM", "/usr/bin/chromium"))
if not CHROMIUM.exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM} (apt-get install chromium): browser tests skipped",
        allow_module_level=True,
    )
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = pytest.mark.slow
ADMIN, USER = 42, 555
REVIEWED, AUTO = -1001001, -1001002
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = ["/panel", "/panel/tinjauan", "/panel/siaran", "/panel/kanal", "/panel/sumber"]
PAGES += ["/panel/riwayat"]
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.fixture
def panel_config(config_file: Path, port: int) -> Path:
    path = with_keys(config_file, http={"listen": f"127.0.0.1:{port}"})
    text = path.read_text(encoding="utf-8")
    # The first channel waits for review; the second posts at once.
    text = text.replace(f"chat_id: {REVIEWED}\n", f"chat_id: {REVIEWED}\n  mode: review\n")
    path.write_text(text, encoding="utf-8")
    return path


def login_link(bot_api, user_id: int) -> str:
    before = len(bot_api.calls(method="sendMessage", chat_id=user_id))
    bot_api.inject_update("/panel", user_id=user_id)
    reply = bot_api.wait_for_calls(before + 1, 15, method="sendMessage", chat_id=user_id)[-1]
    found = re.search(r"http://\S+/panel/masuk\?token=[\w-]+", reply["text"])
    assert found, reply["text"]
    assert reply["params"].get("link_preview_options", {}).get("is_disabled") in (True, "true")
    return found.group(0)


def overflow(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def test_the_panel_in_a_real_browser(bot_api, panel_config, bot_env, base, run_service, tmp_path):
    process = run_service(panel_config, bot_env)
    bot_api.wait_for_calls(1, 40, method="sendMessage", chat_id=AUTO, ok=True)

    bot_api.inject_update("/panel", user_id=USER)
    refusal = bot_api.wait_for_calls(1, 15, method="sendMessage", chat_id=USER)[-1]
    assert "hanya untuk admin" in refusal["text"] and "token=" not in refusal["text"]
    link = login_link(bot_api, ADMIN)
    assert link.startswith(base + "/panel/masuk?token=")

    shots = tmp_path / "screens"
    shots.mkdir()
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
            page = context.new_page()
            page.goto(link)
            assert page.url == base + "/panel"
            assert page.locator("h1").inner_text() == "Ringkasan"
            cookie = next(c for c in context.cookies() if c["name"] == "humasbot_panel")
            assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

            _refusals(browser, page, link, base)
            _long_unbroken_record(panel_config)
            _screenshots(page, base, shots)
            _publish_from_review(page, base, bot_api)
            _a_post_and_its_confirmation(page, base, bot_api, shots)
            try:
                _schedule_and_see_it_fire(page, base, bot_api)
            except Exception:
                process.terminate()
                Path("/tmp/panel-run.log").write_text(process.communicate(timeout=20)[1])
                raise
            _expired_link(browser, bot_api, panel_config)

            page.goto(base + "/panel")
            page.get_by_role("button", name="Keluar").click()
            assert "sudah keluar" in page.content()
            assert page.goto(base + "/panel").status == 401
        finally:
            browser.close()
    keep = os.environ.get("HUMASBOT_PANEL_SHOTS")
    if keep:
        shutil.copytree(shots, keep, dirs_exist_ok=True)


def _refusals(browser, page, link: str, base: str) -> None:
    """A reused link starts nothing; a POST without the CSRF token is refused with 403."""
    other = browser.new_context(locale="id-ID")
    try:
        stranger = other.new_page()
        assert stranger.goto(link).status == 403
        assert "sudah dipakai" in stranger.content()
        assert stranger.goto(base + "/panel").status == 401
    finally:
        other.close()
    forged = page.request.post(
        base + "/panel/siaran", form={"teks": "Tanpa token", "kapan": "sekarang"}
    )
    assert forged.status == 403


def _database(config: Path) -> str:
    found = re.search(r"sqlite:///(\S+)", config.read_text(encoding="utf-8"))
    assert found
    return found.group(1)


def _long_unbroken_record(config: Path) -> None:
    """A record with a 300-character word (a URL, a token-like id) must not widen the page."""
    word = "https://contoh.go.id/" + "x" * 280
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ")
    with sqlite3.connect(_database(config)) as conn:
        conn.execute(
            "INSERT INTO audit_log (at, user_id, user_name, chat_id, action, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (now, 7, "@" + "n" * 150, None, "uji_panjang", word),
        )


def _screenshots(page, base: str, shots: Path) -> None:
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for path in PAGES:
            assert page.goto(base + path).status == 200, path
            name = path.strip("/").replace("/", "-")
            page.screenshot(path=str(shots / f"{name}-{size}.png"), full_page=True)
            scroll, inner = overflow(page)
            assert scroll <= inner, f"{path} overflows at {width}px: {scroll} > {inner}"
    page.set_viewport_size({"width": 1280, "height": 800})


def _publish_from_review(page, base: str, bot_api) -> None:
    page.goto(base + "/panel/tinjauan")
    first = page.locator("article.review").first
    title = first.locator("h2").inner_text().split(" · ", 1)[1]
    assert first.locator("mark").count() > 0  # why it was judged election news
    assert first.locator(".tg").inner_text().strip()  # the post as Telegram shows it
    before = len(bot_api.calls(method="sendMessage", chat_id=REVIEWED, ok=True))
    first.get_by_role("button", name="✅ Terbitkan").click()
    assert "diterbitkan" in page.locator(".notice").inner_text()
    sent = bot_api.wait_for_calls(before + 1, 20, method="sendMessage", chat_id=REVIEWED, ok=True)
    assert title.split()[0] in sent[-1]["text"]
    page.goto(base + "/panel/riwayat?jenis=admin")
    assert "review_publish" in page.content() and "(panel)" in page.content()


def _shoot(page, name: str, shots: Path) -> None:
    """Screenshots of the page as it is, at both sizes, neither overflowing."""
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(shots / f"{name}-{size}.png"), full_page=True)
        scroll, inner = overflow(page)
        assert scroll <= inner, f"{name} overflows at {width}px: {scroll} > {inner}"
    page.set_viewport_size({"width": 1280, "height": 800})


def _a_post_and_its_confirmation(page, base: str, bot_api, shots: Path) -> None:
    """From the record, a post's page; Tarik asks first (the bot's confirmation), and ❌ Batal
    leaves the post where it is."""
    page.goto(base + "/panel/riwayat?jenis=delivery")
    page.locator("a[href^='/panel/pos/']").first.click()
    assert page.locator("h3").first.inner_text() == "Terkirim ke"
    _shoot(page, "panel-pos", shots)
    page.get_by_role("button", name="Tarik…").click()
    assert "Tarik unggahan" in page.content()
    _shoot(page, "panel-konfirmasi", shots)
    page.get_by_role("button", name="❌ Batal").click()
    assert "tidak ada yang diubah" in page.content()
    assert bot_api.calls(method="deleteMessage") == []


def _schedule_and_see_it_fire(page, base: str, bot_api) -> None:
    text = "Siaran terjadwal dari panel"
    at = datetime.now(UTC) + timedelta(seconds=8)
    local = at.astimezone(ZoneInfo("Asia/Jayapura"))  # WIT
    page.goto(base + "/panel/siaran")
    page.fill("#teks", text)
    assert page.locator("#pratinjau").inner_text() == text  # the live preview
    page.check("input[name=kapan][value=jadwal]")
    page.fill("input[name=tanggal]", local.date().isoformat())
    page.fill("input[name=jam]", local.strftime("%H:%M:%S"))
    page.select_option("select[name=zona]", "WIT")
    page.get_by_role("button", name="Kirim", exact=True).click()
    assert "dijadwalkan" in page.locator(".notice").inner_text()
    assert "WIT" in page.locator("table").inner_text()
    for chat_id in CHANNELS:
        bot_api.wait_for_calls(1, 40, method="sendMessage", chat_id=chat_id, text=text, ok=True)
    fired = min(c["time"] for c in bot_api.calls(method="sendMessage", text=text))
    assert fired >= at.timestamp() - 1  # at its time, not at once


def _expired_link(browser, bot_api, config: Path) -> None:
    """A link past its 10 minutes starts nothing: its expiry is moved into the past in the
    database (the clock injected there, instead of waiting)."""
    link = login_link(bot_api, ADMIN)
    token = link.rsplit("token=", 1)[1]
    with sqlite3.connect(_database(config)) as conn:
        past = (datetime.now(UTC) - timedelta(seconds=1)).replace(tzinfo=None).isoformat(" ")
        changed = conn.execute(
            "UPDATE panel_links SET expires_at = ? WHERE token_hash = ?",
            (past, hashlib.sha256(token.encode()).hexdigest()),
        ).rowcount
        assert changed == 1
    context = browser.new_context()
    try:
        assert context.new_page().goto(link).status == 403
    finally:
        context.close()
