"""/tarik, /koreksi, /jeda and /lanjut from Telegram, against FakeBotAPI: confirm keyboards,
deletes and edits in every channel with a report per channel, pauses recorded and lifted, held
posts released, and helpful answers to malformed arguments."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.storage.schema import ChannelRow, CorrectionRow, DeliveryRow, ItemRow, RetractionRow
from tests.e2e.feeds import articles, rss
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.handlers.harness import (
    ADMIN,
    CHANNELS,
    USER,
    Bot,
    button_texts,
    keyboard,
    make_config,
    settle,
)

FIRST, SECOND = CHANNELS
PHOTO = "https://berita.example/foto.jpg"


def _sent_ids(bot: Bot, item_id: int) -> dict[str, int]:
    return {m.chat_id: m.message_id for m in bot.services.store.sent_messages(item_id)}


async def _an_item(bot: Bot) -> int:
    """An election post once both channels' sends are recorded."""
    item_id = bot.services.store.published_posts(limit=1)[0].item_id
    await settle(lambda: len(_sent_ids(bot, item_id)) == len(CHANNELS))
    return item_id


async def test_tarik_deletes_everywhere_and_reports_what_failed(bot: Bot):
    item_id = await _an_item(bot)
    sent = _sent_ids(bot, item_id)
    assert set(sent) == {str(FIRST), str(SECOND)}
    await bot.app.bot.delete_message(SECOND, sent[str(SECOND)])  # someone deleted it by hand

    (confirm,) = await bot.ask(f"/tarik {item_id}", user_id=ADMIN)
    assert f"Tarik berita #{item_id}" in confirm["text"] and "2 kanal" in confirm["text"]
    assert "Humas Kaltim" in confirm["text"]
    assert button_texts(confirm) == ["✅ Tarik", "❌ Batal"]
    assert bot.api.calls(method="deleteMessage", chat_id=FIRST) == []  # nothing before ✅

    ok, _ = keyboard(confirm)
    (report,) = await bot.press(ok, confirm["message_id"])
    assert f"Berita #{item_id} ditarik" in report["text"]
    lines = report["text"].splitlines()
    assert any("Humas Kaltim" in line and "dihapus" in line for line in lines)
    assert any("Balikpapan" in line and "Message to delete not found" in line for line in lines)
    ids = [m["message_id"] for m in bot.api.messages(FIRST)]
    assert sent[str(FIRST)] not in ids
    with bot.services.store.session() as session:
        (retraction,) = session.scalars(select(RetractionRow)).all()
        assert retraction.item_id == item_id and retraction.by == ADMIN
        assert retraction.results[str(FIRST)] == "deleted"  # a code; the report says "dihapus"

    (again,) = await bot.press(ok, confirm["message_id"])  # the keyboard was used once
    assert "kedaluwarsa atau sudah diproses" in again["text"]
    actions = [e.action for e in bot.services.store.audit_entries()]
    assert {"retract_request", "retract"} <= set(actions)


async def test_tarik_batal_changes_nothing_and_non_admins_are_refused(bot: Bot):
    item_id = await _an_item(bot)
    (confirm,) = await bot.ask(f"/retract #{item_id}", user_id=ADMIN, language_code="en")
    assert button_texts(confirm) == ["✅ Retract", "❌ Cancel"]
    ok, cancel = keyboard(confirm)
    await bot.press(ok, confirm["message_id"], user_id=USER, chat_id=ADMIN, replies=0)
    assert "hanya untuk admin" in bot.api.calls(method="answerCallbackQuery")[-1]["params"]["text"]
    (reply,) = await bot.press(cancel, confirm["message_id"])
    assert "Dibatalkan" in reply["text"]
    assert bot.api.calls(method="deleteMessage") == []
    assert set(_sent_ids(bot, item_id)) == {str(FIRST), str(SECOND)}
    (refusal,) = await bot.ask(f"/tarik {item_id}")
    assert "hanya untuk admin" in refusal["text"] and not keyboard(refusal)


async def test_koreksi_edits_text_and_caption_and_keeps_the_old_text(bot: Bot):
    item_id = await _an_item(bot)
    old_html = bot.services.store.item_post(item_id)[0]
    photo = await bot.app.bot.send_photo(FIRST, PHOTO, caption="foto lama")
    with bot.services.store.session() as session:  # FIRST got this post as a photo
        session.get_one(ItemRow, item_id).image = PHOTO
        channel = select(ChannelRow.id).where(ChannelRow.chat_id == str(FIRST))
        row = session.scalars(
            select(DeliveryRow).where(
                DeliveryRow.item_id == item_id, DeliveryRow.channel_id == channel.scalar_subquery()
            )
        ).one()
        row.message_id, row.post_caption = photo.message_id, "foto lama"

    info, preview = await bot.ask(
        f"/koreksi {item_id} Jadwal debat <b>bukan</b> 12 Januari\nmelainkan 13 Januari.",
        user_id=ADMIN,
        replies=2,
    )
    assert f"Ganti berita #{item_id} di 2 kanal" in info["text"]
    assert preview["text"].startswith("✏️ <b>Koreksi</b> (")
    assert "WITA)\n\nJadwal debat &lt;b&gt;bukan&lt;/b&gt; 12 Januari\nmelainkan" in preview["text"]
    assert button_texts(preview) == ["✅ Koreksi", "❌ Batal"]
    (report,) = await bot.press(keyboard(preview)[0], preview["message_id"])
    assert f"Berita #{item_id} dikoreksi" in report["text"]
    (line,) = [x for x in report["text"].splitlines() if "diubah" in x]  # the chats it worked in
    assert CHANNELS[FIRST] in line and CHANNELS[SECOND] in line

    (caption,) = bot.api.calls(method="editMessageCaption", chat_id=FIRST, ok=True)
    (text,) = bot.api.calls(method="editMessageText", chat_id=SECOND, ok=True)
    assert caption["params"]["caption"] == text["params"]["text"] == preview["text"]
    edited = {m["message_id"]: m for m in bot.api.messages(FIRST)}[photo.message_id]
    assert edited["caption"].startswith("✏️ Koreksi") and "<b>bukan</b>" in edited["caption"]
    with bot.services.store.session() as session:
        (correction,) = session.scalars(select(CorrectionRow)).all()
        assert correction.old_html == old_html and correction.new_html == preview["text"]
        assert correction.results == {str(FIRST): "edited", str(SECOND): "edited"}
    assert bot.services.store.item_post(item_id)[0] == preview["text"]
    assert bot.services.store.audit_entries()[0].action == "correct"


async def test_jeda_and_lanjut_answer_and_record(bot: Bot):
    (reply,) = await bot.ask("/jeda sampai 2099-02-14 06.00 WIB", user_id=ADMIN)
    assert "dijeda sampai Sabtu, 14 Februari 2099 06.00 WIB" in reply["text"]
    assert "semua kanal (2)" in reply["text"]
    (reply,) = await bot.ask(f"/jeda ke:{FIRST}", user_id=ADMIN)
    assert "Humas Kaltim" in reply["text"] and "sampai /lanjut" in reply["text"]
    pauses = bot.services.store.active_pauses(datetime.now(UTC))
    assert sorted((p.chats is None, p.until is None) for p in pauses) == [
        (False, True),
        (True, False),
    ]

    warning, _, info = await bot.ask("/siarkan Tetap dikirim", user_id=ADMIN, replies=3)
    assert "⚠️ Kiriman otomatis sedang dijeda" in warning["text"]
    assert f"Humas Kaltim ({FIRST}) sampai /lanjut" in warning["text"]
    assert "semua kanal (2) sampai Sabtu, 14 Februari 2099 07.00 WITA" in warning["text"]
    assert "Pratinjau siaran" in info["text"]

    (reply,) = await bot.ask("/lanjut", user_id=ADMIN)
    assert "2 jeda dicabut" in reply["text"]
    (reply,) = await bot.ask("/resume", user_id=ADMIN, language_code="en")
    assert "No pause is in force" in reply["text"]
    actions = [e.action for e in bot.services.store.audit_entries()]
    assert actions[:4] == ["resume", "resume", "broadcast_draft", "pause"]


async def test_a_pause_holds_new_posts_and_lanjut_releases_them(
    tmp_path, api: FakeBotAPI, feeds: FeedServer
):
    config = make_config(tmp_path, feeds, api, dedupe={"enabled": False})
    bot = await Bot(api, config).start()
    try:
        await bot.posts_delivered()
        (reply,) = await bot.ask(f"/jeda ke:{SECOND}", user_id=ADMIN)
        assert "dijeda" in reply["text"]
        fresh = dict(next(a for a in articles() if a["is_election"]))
        fresh.update(id="baru-1", title="KPU Balikpapan Umumkan Daftar Calon Tetap Pilkada")
        feeds.set("/berita.rss", rss([fresh]), content_type="application/rss+xml")
        before = {c: len(bot.sent_to(c, ok=True)) for c in CHANNELS}
        report = await bot.services.pipeline.poll(every=True)
        assert report.queued == 2
        await bot.services.outbox.deliver()
        await bot.services.outbox.deliver()  # a second pass: SECOND stays paused
        assert len(bot.sent_to(FIRST, ok=True)) == before[FIRST] + 1
        assert len(bot.sent_to(SECOND, ok=True)) == before[SECOND]

        (reply,) = await bot.ask("/lanjut", user_id=ADMIN)
        assert "1 jeda dicabut" in reply["text"]
        sent = await bot.api.await_calls(
            before[SECOND] + 1, 10, method="sendMessage", chat_id=SECOND, ok=True
        )
        assert "Daftar Calon Tetap" in sent[-1]["text"]
    finally:
        await bot.stop()


async def test_malformed_arguments_get_helpful_answers(bot: Bot):
    cases = {
        "/tarik": "/tarik ID",
        "/tarik abc": "/tarik ID",
        "/tarik 1 2": "/tarik ID",
        "/tarik 999999": "tidak ditemukan",
        "/koreksi": "/koreksi ID TEKS",
        "/koreksi 5": "/koreksi ID TEKS",
        "/koreksi x teks": "/koreksi ID TEKS",
        "/koreksi 999999 teks baru": "tidak ditemukan",
        f"/koreksi 1 {'a' * 4100}": "terlalu panjang",
        "/jeda besok": "/jeda sampai WAKTU",
        "/jeda sampai harian 07.00": "tidak bisa berulang",
        "/jeda ke:@tidak_ada": "Kanal tidak dikenal: @tidak_ada",
        "/jeda ke:": "ke:KANAL,KANAL",
        "/jeda ke:,,,": "Kanal tidak dikenal",
        "/lanjut sekarang": "/lanjut ke:KANAL",
        "/lanjut ke:-1": "Kanal tidak dikenal: -1",
    }
    for command, needle in cases.items():
        (reply,) = await bot.ask(command, user_id=ADMIN)
        assert needle in reply["text"], (command, reply["text"])
    refusal, usage = await bot.ask("/jeda sampai kapan-kapan", user_id=ADMIN, replies=2)
    assert "tidak dikenali" in refusal["text"] and "/jeda sampai WAKTU" in usage["text"]
    refusal, _ = await bot.ask("/jeda sampai 2020-01-01 07.00", user_id=ADMIN, replies=2)
    assert "sudah lewat" in refusal["text"]
    assert bot.services.store.active_pauses(datetime.now(UTC)) == []
