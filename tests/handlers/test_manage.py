"""/kanal, /sumber tambah|hapus, /admin, /status: admins manage the bot; every action audited."""

from __future__ import annotations

from tests.e2e.feeds import articles, rss
from tests.handlers.harness import ADMIN, CHANNELS, SPARE_CHANNEL, USER, Bot

FIRST = next(iter(CHANNELS))


async def test_channels_listed_added_after_a_check_and_removed(bot: Bot):
    (listing,) = await bot.ask("/kanal", user_id=ADMIN)
    assert (
        str(FIRST) in listing["text"]
        and "aktif" in listing["text"]
        and "terkirim 3" in listing["text"]
    )
    bot.api.add_chat(-1004004, type="channel", title="Tanpa Hak", kicked=True)
    (reply,) = await bot.ask("/kanal tambah -1004004", user_id=ADMIN)
    assert "tidak bisa diperiksa" in reply["text"] or "belum bisa mengirim" in reply["text"]
    (reply,) = await bot.ask("/kanal tambah @kanal_baru", user_id=ADMIN)
    assert "Kanal Baru ditambahkan" in reply["text"]
    assert str(SPARE_CHANNEL) in bot.services.store.active_chat_ids()
    (reply,) = await bot.ask("/channels tambah @kanal_baru", user_id=ADMIN, language_code="en")
    assert "already registered" in reply["text"]
    (reply,) = await bot.ask(f"/kanal hapus {FIRST}", user_id=ADMIN)
    assert "konfigurasi" in reply["text"]
    (reply,) = await bot.ask(f"/kanal hapus {SPARE_CHANNEL}", user_id=ADMIN)
    assert "dihapus" in reply["text"]
    assert str(SPARE_CHANNEL) not in bot.services.store.active_chat_ids()
    (reply,) = await bot.ask("/kanal apa", user_id=ADMIN)
    assert "/kanal tambah" in reply["text"]
    actions = [e.action for e in bot.services.store.audit_entries()]
    assert actions.count("channel_add") == 2 and "channel_remove" in actions


async def test_sources_added_after_one_fetch_and_removed(bot: Bot, feeds):
    feeds.set(
        "/lain.rss", rss(articles()[:1], title="Umpan Lain"), content_type="application/rss+xml"
    )
    feeds.set("/bukan.rss", b"<html><body>bukan umpan</body></html>", content_type="text/html")
    (reply,) = await bot.ask(f"/sumber tambah {feeds.url}/bukan.rss", user_id=ADMIN)
    assert "tidak bisa dipakai" in reply["text"]
    (reply,) = await bot.ask(f"/sumber tambah {feeds.url}/lain.rss", user_id=ADMIN)
    assert "Sumber ditambahkan: Umpan Lain" in reply["text"]
    listed = {f.url: f for f in bot.services.store.feed_list()}
    added = listed[f"{feeds.url}/lain.rss"]
    assert added.enabled and added.added_by_admin
    (reply,) = await bot.ask(f"/sumber hapus {added.id}", user_id=ADMIN)
    assert "Sumber dihapus" in reply["text"]
    listed = {f.url: f for f in bot.services.store.feed_list()}
    assert not listed[f"{feeds.url}/lain.rss"].enabled
    (reply,) = await bot.ask("/sumber tambah ftp://x", user_id=ADMIN)
    assert "http://" in reply["text"]


async def test_admins_add_admins_and_status(bot: Bot):
    (reply,) = await bot.ask("/status", user_id=USER)
    assert "hanya untuk admin" in reply["text"]
    (reply,) = await bot.ask(f"/admin tambah {USER}", user_id=ADMIN)
    assert "sekarang admin" in reply["text"]
    admin_menu = bot.api.calls(method="setMyCommands")[-1]
    assert str(USER) in str(admin_menu["params"].get("scope"))
    (reply,) = await bot.ask("/status", user_id=USER)
    assert "Status humasbot" in reply["text"] and "1 sehat" in reply["text"]
    assert "Kiriman: 0 menunggu" in reply["text"]
    (reply,) = await bot.ask(f"/admin hapus {ADMIN}", user_id=USER)
    assert "konfigurasi" in reply["text"]
    (reply,) = await bot.ask(f"/admin hapus {USER}", user_id=ADMIN)
    assert "bukan admin lagi" in reply["text"]
    (reply,) = await bot.ask("/status", user_id=USER)
    assert "hanya untuk admin" in reply["text"]
    audit = bot.services.store.audit_entries()
    assert [(e.action, e.user_id) for e in audit[:2]] == [
        ("admin_remove", ADMIN),
        ("admin_add", ADMIN),
    ]


async def test_channel_report_shows_last_success_and_a_gone_channel_comes_back(bot: Bot):
    (listing,) = await bot.ask("/kanal", user_id=ADMIN)
    assert "terakhir terkirim:" in listing["text"]
    store = bot.services.store
    store.deactivate_channel(FIRST, "Forbidden: bot was kicked from the channel chat")
    (listing,) = await bot.ask("/kanal", user_id=ADMIN)
    assert "nonaktif" in listing["text"] and "kicked" in listing["text"]
    (reply,) = await bot.ask(f"/kanal aktifkan {FIRST}", user_id=ADMIN)
    assert "aktif lagi" in reply["text"]
    assert str(FIRST) in store.active_chat_ids()
    (reply,) = await bot.ask(f"/kanal aktifkan {FIRST}", user_id=ADMIN)
    assert "sudah aktif" in reply["text"]
    (reply,) = await bot.ask("/kanal aktifkan -1009999", user_id=ADMIN)
    assert "tidak dikenal" in reply["text"]
    assert "channel_enable" in [e.action for e in store.audit_entries()]


async def test_feed_health_for_admins(bot: Bot):
    (reply,) = await bot.ask("/sumber status", user_id=ADMIN)
    assert "Kesehatan umpan" in reply["text"] and "✅" in reply["text"]
    assert "gagal beruntun 0" in reply["text"] and "berhasil terakhir" in reply["text"]
    (reply,) = await bot.ask("/sumber status", user_id=USER)
    assert "hanya untuk admin" in reply["text"]
    (reply,) = await bot.ask("/sources status", user_id=ADMIN, language_code="en")
    assert "Feed health" in reply["text"]
