"""The panel's actions go through the same services as the bot: Tarik and Koreksi with the bot's
confirmation, re-enabling a channel, adding a feed found from a page of its site and removing
it; each recorded as done through the panel, by whom."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.e2e.feeds import articles, rss
from tests.fakes.feed_server import FeedServer
from tests.panel.conftest import Panel
from tests.pipeline.support import queue_broadcast

SITE = """<html><head><title>Humas Kaltim</title>
<link rel="alternate" type="application/rss+xml" title="Berita" href="/berita.rss">
</head><body>Beranda</body></html>"""


@pytest.fixture
def site() -> Iterator[FeedServer]:
    server = FeedServer().start()
    server.set("/", SITE.encode(), content_type="text/html; charset=utf-8")
    server.set("/berita.rss", rss(articles()), content_type="application/rss+xml")
    yield server
    server.stop()


async def sent_post(panel: Panel) -> int:
    item_id = queue_broadcast(
        panel.services.store, [-1001, -1002], datetime.now(UTC), html="<b>Rapat</b> humas"
    )
    await panel.services.outbox.deliver()
    assert len(panel.sink.sent) == 2
    return item_id


def confirm_form(page: str) -> str:
    found = re.search(r'action="(/panel/konfirmasi/[^"]+)"', page)
    assert found, "no confirmation form"
    return found.group(1)


def audited(panel: Panel) -> list[tuple[str, str | None]]:
    return [(e.action, e.user_name) for e in reversed(panel.services.store.audit_entries())]


async def test_tarik_asks_first_then_deletes_everywhere_once(panel: Panel):
    item_id = await sent_post(panel)
    csrf = await panel.login()
    post = await panel.client.get(f"/panel/pos/{item_id}")
    assert post.status_code == 200 and "Humas -1001" in post.text
    asked = await panel.client.post(f"/panel/pos/{item_id}/tarik", data={"csrf": csrf})
    assert asked.status_code == 200 and "2 kanal" in asked.text
    assert panel.sink.deleted == []  # nothing before ✅ Tarik
    action = confirm_form(asked.text)
    done = await panel.client.post(action, data={"csrf": csrf, "jawab": "ya"})
    assert done.status_code == 200 and "ditarik" in done.text
    assert sorted(chat for chat, _ in panel.sink.deleted) == ["-1001", "-1002"]
    again = await panel.client.post(action, data={"csrf": csrf, "jawab": "ya"})
    assert again.status_code == 409 and len(panel.sink.deleted) == 2
    assert audited(panel)[1:] == [
        ("retract_request", "@budi (panel)"),
        ("retract", "@budi (panel)"),
    ]


async def test_koreksi_shows_the_correction_and_batal_changes_nothing(panel: Panel):
    item_id = await sent_post(panel)
    csrf = await panel.login()
    asked = await panel.client.post(
        f"/panel/pos/{item_id}/koreksi", data={"csrf": csrf, "teks": "Rapat <diundur>"}
    )
    assert asked.status_code == 200 and "Rapat &lt;diundur&gt;" in asked.text
    cancelled = await panel.client.post(
        confirm_form(asked.text), data={"csrf": csrf, "jawab": "batal"}
    )
    assert cancelled.status_code == 200 and "Dibatalkan" in cancelled.text
    assert panel.sink.edited == []
    asked = await panel.client.post(
        f"/panel/pos/{item_id}/koreksi", data={"csrf": csrf, "teks": "Rapat diundur"}
    )
    done = await panel.client.post(confirm_form(asked.text), data={"csrf": csrf, "jawab": "ya"})
    assert done.status_code == 200 and "dikoreksi" in done.text
    assert {html.split("\n\n")[-1] for _, _, html in panel.sink.edited} == {"Rapat diundur"}
    assert [a for a, _ in audited(panel)[1:]] == [
        "correct_request",
        "correct_cancel",
        "correct_request",
        "correct",
    ]


async def test_a_channel_the_bot_deactivated_is_enabled_again(panel: Panel):
    panel.services.store.deactivate_channel("-1001", "bot dikeluarkan dari kanal")
    csrf = await panel.login()
    page = (await panel.client.get("/panel/kanal")).text
    assert "Nonaktif" in page and "bot dikeluarkan dari kanal" in page
    response = await panel.client.post(
        "/panel/kanal/aktifkan", data={"csrf": csrf, "chat": "-1001"}
    )
    assert response.status_code == 303 and response.headers["location"].endswith("=enabled")
    assert "-1001" in panel.services.store.active_chat_ids()
    assert audited(panel)[-1] == ("channel_enable", "@budi (panel)")


async def test_a_feed_is_found_from_a_page_of_its_site_then_removed(panel: Panel, site):
    csrf = await panel.login()
    added = await panel.client.post(
        "/panel/sumber/tambah", data={"csrf": csrf, "url": site.url + "/"}
    )
    assert added.status_code == 200 and "Ditemukan umpan RSS" in added.text
    assert [url for url, _ in panel.services.store.admin_feeds()] == [site.url + "/berita.rss"]
    remove = re.search(r'action="(/panel/sumber/\d+/hapus)"', added.text)
    assert remove, "an admin-added feed has a remove button"
    removed = await panel.client.post(remove.group(1), data={"csrf": csrf})
    assert removed.status_code == 303 and panel.services.store.admin_feeds() == []
    assert [a for a, _ in audited(panel)[1:]] == ["source_add", "source_remove"]
