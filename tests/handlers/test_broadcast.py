"""/siarkan and /jadwal: previews with ✅ Kirim / ❌ Batal, nothing sent before Kirim, never
twice; admins only."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from bot.storage.schema import BroadcastRow
from tests.e2e.feeds import election_titles
from tests.handlers.harness import (
    ADMIN,
    CHANNELS,
    USER,
    Bot,
    button_texts,
    keyboard,
    with_markup,
)

FIRST, SECOND = CHANNELS


async def _preview(bot: Bot, text: str, **options) -> tuple[dict, dict]:
    """The line saying what and where, and the preview (with the keyboard it got once its
    draft was stored)."""
    preview, info = await bot.ask(text, user_id=ADMIN, replies=2, **options)
    return info, with_markup(bot.api, preview)


async def test_non_admins_are_refused_without_a_keyboard(bot: Bot):
    for command in ("/siarkan Halo", "/jadwal 07.00 Halo", "/kanal", "/status", "/batal 1"):
        (reply,) = await bot.ask(command)
        assert "hanya untuk admin" in reply["text"] and not keyboard(reply)
    (reply,) = await bot.ask("/broadcast Hello", language_code="en")
    assert "admins only" in reply["text"]


async def test_broadcast_previews_then_sends_once_on_kirim(bot: Bot):
    before = {c: len(bot.sent_to(c)) for c in CHANNELS}
    info, preview = await _preview(bot, "/siarkan Rapat & humas <besok> pukul 09.00")
    assert "Pratinjau siaran" in info["text"] and "semua kanal (2)" in info["text"]
    assert preview["text"] == "Rapat &amp; humas &lt;besok&gt; pukul 09.00"  # typed, not markup
    assert button_texts(preview) == ["✅ Kirim", "❌ Batal"]
    ok, cancel = keyboard(preview)
    assert {c: len(bot.sent_to(c)) for c in CHANNELS} == before  # nothing before Kirim

    (done,) = await bot.press(ok, preview["message_id"])
    assert "sedang dikirim ke 2 kanal" in done["text"]
    for chat_id in CHANNELS:
        sent = await bot.api.await_calls(
            before[chat_id] + 1, 10, method="sendMessage", chat_id=chat_id
        )
        assert sent[-1]["text"] == preview["text"]
    (again,) = await bot.press(ok, preview["message_id"])
    assert "sudah diproses" in again["text"]
    (late,) = await bot.press(cancel, preview["message_id"])
    assert "sudah diproses" in late["text"]
    await bot.ask("/status", user_id=ADMIN)  # a round trip: anything queued twice is out by now
    assert {c: len(bot.sent_to(c)) for c in CHANNELS} == {c: n + 1 for c, n in before.items()}
    actions = [e.action for e in bot.services.store.audit_entries()]
    assert {"broadcast_draft", "broadcast_confirm"} <= set(actions)


async def test_batal_sends_nothing_and_non_admin_buttons_do_nothing(bot: Bot):
    before = {c: len(bot.sent_to(c)) for c in CHANNELS}
    _, preview = await _preview(bot, f"/siarkan ke:{FIRST} Hanya satu kanal")
    ok, cancel = keyboard(preview)
    await bot.press(ok, preview["message_id"], user_id=USER, chat_id=ADMIN, replies=0)
    answer = bot.api.calls(method="answerCallbackQuery")[-1]
    assert "hanya untuk admin" in answer["params"]["text"]
    (reply,) = await bot.press(cancel, preview["message_id"])
    assert "dibatalkan" in reply["text"]
    (reply,) = await bot.press(ok, preview["message_id"])
    assert "sudah diproses" in reply["text"]
    assert {c: len(bot.sent_to(c)) for c in CHANNELS} == before


async def test_broadcast_to_a_subset_a_reply_and_an_item(bot: Bot):
    before = {c: len(bot.sent_to(c)) for c in CHANNELS}
    info, preview = await _preview(bot, f"/siarkan ke:{FIRST} Untuk Kaltim saja")
    assert str(FIRST) in info["text"]
    await bot.press(keyboard(preview)[0], preview["message_id"])
    sent = await bot.api.await_calls(before[FIRST] + 1, 10, method="sendMessage", chat_id=FIRST)
    assert sent[-1]["text"] == "Untuk Kaltim saja"
    (reply,) = await bot.ask("/siarkan ke:@tidak_ada Teks", user_id=ADMIN)
    assert "Kanal tidak dikenal: @tidak_ada" in reply["text"]

    chat = {"id": ADMIN, "type": "private", "first_name": "Admin"}
    admin = {"id": ADMIN, "is_bot": False, "first_name": "Admin", "language_code": "id"}
    replied = {
        "message_id": 7001,
        "date": int(time.time()),
        "chat": chat,
        "from": admin,
        "text": "Pengumuman penting",
        "entities": [{"type": "bold", "offset": 0, "length": 10}],
    }
    update = {
        "update_id": 910001,
        "message": {
            "message_id": 7002,
            "date": int(time.time()),
            "chat": chat,
            "from": admin,
            "text": "/siarkan",
            "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
            "reply_to_message": replied,
        },
    }
    count = len(bot.sent_to(ADMIN))
    await bot.feed(update)
    preview = (await bot.api.await_calls(count + 2, 10, method="sendMessage", chat_id=ADMIN))[-2]
    assert preview["text"] == "<b>Pengumuman</b> penting"

    item_id = bot.services.store.published_posts(limit=1)[0].item_id
    _, preview = await _preview(bot, f"/siarkan #{item_id}")
    assert "berita.example" in preview["text"]
    (reply,) = await bot.ask("/siarkan #999999", user_id=ADMIN)
    assert "tidak ditemukan" in reply["text"]
    (reply,) = await bot.ask("/siarkan", user_id=ADMIN)
    assert "/siarkan [ke:KANAL,KANAL] TEKS" in reply["text"]


async def test_schedule_previews_the_time_and_is_kept_until_cancelled(bot: Bot):
    info, preview = await _preview(bot, "/jadwal 2099-02-14 07.00 WIB Selamat pagi")
    assert "Sabtu, 14 Februari 2099 07.00 WIB" in info["text"] and "sekali" in info["text"]
    assert preview["text"] == "Selamat pagi" and button_texts(preview) == ["✅ Kirim", "❌ Batal"]
    assert bot.services.store.pending_schedules() == []  # a draft until Kirim
    (saved,) = await bot.press(keyboard(preview)[0], preview["message_id"])
    assert "Jadwal #" in saved["text"] and "07.00 WIB" in saved["text"]
    (pending,) = bot.services.store.pending_schedules()
    assert bot.app.job_queue.get_jobs_by_name(f"broadcast:{pending.id}")

    (listing,) = await bot.ask("/daftarjadwal", user_id=ADMIN)
    assert f"#{pending.id}" in listing["text"] and "Selamat pagi" in listing["text"]
    (reply,) = await bot.ask(f"/batal {pending.id}", user_id=ADMIN)
    assert "dibatalkan" in reply["text"]
    assert bot.services.store.pending_schedules() == []
    assert not bot.app.job_queue.get_jobs_by_name(f"broadcast:{pending.id}")
    (listing,) = await bot.ask("/schedules", user_id=ADMIN, language_code="en")
    assert "No pending schedules" in listing["text"]


async def test_schedule_refuses_past_and_impossible_times(bot: Bot):
    cases = {
        "/jadwal 2020-01-01 07.00 Teks": "sudah lewat",
        "/jadwal 31/02/2099 07.00 Teks": "tidak ada di kalender",
        "/jadwal 25.00 Teks": "tidak valid",
        "/jadwal mingguan senen 07.00 ringkasan": "tidak dikenal",
        "/jadwal kapan-kapan Teks": "tidak dikenali",
        "/jadwal": "belum ditulis",
    }
    for command, reason in cases.items():
        refusal, usage = await bot.ask(command, user_id=ADMIN, replies=2)
        assert reason in refusal["text"], command
        assert "/jadwal harian 07.00 ringkasan" in usage["text"]


async def test_digest_schedule_previews_the_election_posts(bot: Bot):
    info, preview = await _preview(
        bot, "/schedule mingguan senin 07:00 WIT ringkasan", language_code="en"
    )
    assert (
        "Preview of schedule" in info["text"] and "Monday" in info["text"] and "WIT" in info["text"]
    )
    assert "every week" in info["text"]
    assert "Ringkasan berita pemilu" in preview["text"]  # the broadcast's language: the config's
    for title in election_titles():
        assert title in preview["text"]
    assert "Banjir" not in preview["text"]


async def test_formatting_over_the_command_words_and_a_refused_preview(bot: Bot):
    admin = {"id": ADMIN, "is_bot": False, "first_name": "Admin", "language_code": "id"}
    chat = {"id": ADMIN, "type": "private", "first_name": "Admin"}

    def message(update_id: int, text: str, entities: list[dict]) -> dict:
        command = {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
        body = {"message_id": update_id, "date": int(time.time()), "chat": chat, "from": admin}
        return {
            "update_id": update_id,
            "message": {**body, "text": text, "entities": [command, *entities]},
        }

    count = len(bot.sent_to(ADMIN))
    bold_over_command = [{"type": "bold", "offset": 0, "length": 14}]
    await bot.feed(message(920001, "/siarkan Rapat koordinasi", bold_over_command))
    preview, info = (await bot.api.await_calls(count + 2, 10, method="sendMessage", chat_id=ADMIN))[
        count:
    ]
    assert preview["ok"] and preview["text"] == "<b>Rapat</b> koordinasi"
    assert "Pratinjau siaran" in info["text"]
    assert keyboard(with_markup(bot.api, preview))[0].startswith("bc:ok:")

    bot.api.script_fault("sendMessage", "400_parse")  # Telegram refuses the preview
    count = len(bot.sent_to(ADMIN))
    await bot.feed(message(920002, "/siarkan Teks lain", []))
    refused, told = (await bot.api.await_calls(count + 2, 10, method="sendMessage", chat_id=ADMIN))[
        count:
    ]
    assert refused["status"] == 400 and "tidak ada yang disimpan" in told["text"]
    with bot.services.store.session() as session:  # only the first preview left a draft
        assert session.scalar(select(func.count()).select_from(BroadcastRow)) == 1
