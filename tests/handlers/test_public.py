"""Public commands in-process: private and group, Indonesian and English."""

from __future__ import annotations

from bot.handlers import search
from tests.e2e.feeds import election_titles
from tests.handlers.harness import ADMIN, CHANNELS, GROUP, USER, Bot, keyboard


async def test_start_help_and_menus(bot: Bot):
    menus = bot.api.calls(method="setMyCommands")
    scopes = {(str(c["params"].get("scope")), c["params"].get("language_code")) for c in menus}
    assert ("None", None) in scopes and ("None", "en") in scopes
    admin_menus = [c for c in menus if str(ADMIN) in str(c["params"].get("scope"))]
    assert len(admin_menus) == 2 and "siarkan" in str(admin_menus[0]["params"]["commands"])
    public = next(c for c in menus if c["params"].get("scope") is None)
    assert "siarkan" not in str(public["params"]["commands"])

    (reply,) = await bot.ask("/start", first_name="Sri")
    assert "Halo, Sri" in reply["text"] and "/terbaru" in reply["text"]
    (reply,) = await bot.ask("/help", language_code="en")
    assert "/latest" in reply["text"] and "Admin commands" not in reply["text"]
    (reply,) = await bot.ask("/bantuan", user_id=ADMIN)
    assert "/siarkan" in reply["text"] and "/jadwal" in reply["text"]


async def test_latest_search_and_paging(bot: Bot):
    replies = await bot.ask("/terbaru 2", replies=2)
    newest = bot.sent_to(next(iter(CHANNELS)), ok=True)[-2:]
    assert [r["text"] for r in replies] == [c["text"] for c in newest]

    (reply,) = await bot.ask("/cari pemilu")
    assert "«pemilu»" in reply["text"]
    assert reply["text"].count("#") >= len(election_titles()) - 1
    (reply,) = await bot.ask("/cari dikampanyekan")  # stem-aware: finds "kampanye"
    assert "kampanye" in reply["text"].lower() or "tidak ada" in reply["text"].lower()
    (reply,) = await bot.ask("/search zzzyyyxxx", language_code="en")
    assert "No election news matches" in reply["text"]
    (reply,) = await bot.ask("/cari")
    assert "/cari kampanye" in reply["text"]


async def test_search_pages_with_buttons(bot: Bot, monkeypatch):
    monkeypatch.setattr(search, "PAGE_SIZE", 1)
    (first,) = await bot.ask("/cari pemilu")
    pages = len(election_titles())
    assert f"1/{pages}" in first["text"]
    assert keyboard(first) == ["cari:0:pemilu", "cari:1:pemilu"]
    edits = len(bot.api.calls(method="editMessageText"))
    message_id = bot.api.messages(USER)[-1]["message_id"]
    await bot.press("cari:1:pemilu", message_id, user_id=USER, replies=0)
    (edit,) = (await bot.api.await_calls(edits + 1, 10, method="editMessageText"))[edits:]
    assert f"2/{pages}" in edit["text"] and edit["text"] != first["text"]
    await bot.press("cari:x:pemilu", message_id, user_id=USER, replies=0)  # malformed: alert
    assert bot.api.calls(method="answerCallbackQuery")[-1]["params"].get("show_alert")


async def test_unknown_plain_and_other_bots(bot: Bot):
    (reply,) = await bot.ask("/tidakada")
    assert "tidak dikenal" in reply["text"] and "/help" in reply["text"]
    (reply,) = await bot.ask("halo bot")
    assert "hanya menjawab perintah" in reply["text"]
    before = len(bot.api.calls(method="sendMessage", chat_id=GROUP))
    bot.api.inject_update("/start@other_bot", user_id=USER, chat_id=GROUP)
    bot.api.inject_update("/tidakada@other_bot", user_id=USER, chat_id=GROUP)
    (reply,) = await bot.ask("/topik", chat_id=GROUP)  # answered: the two before were ignored
    assert len(bot.api.calls(method="sendMessage", chat_id=GROUP)) == before + 1
    assert "pilkada" in reply["text"]


async def test_sources_listed_for_everyone_managed_by_admins(bot: Bot):
    (reply,) = await bot.ask("/sumber")
    assert "Berita Uji" in reply["text"] and "#1" in reply["text"]
    (reply,) = await bot.ask("/sumber tambah https://example.org/rss")
    assert "hanya untuk admin" in reply["text"]
    (reply,) = await bot.ask("/sumber hapus 1", user_id=ADMIN)
    assert "konfigurasi" in reply["text"]
