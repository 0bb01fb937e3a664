"""Removing an admin pauses the schedules they set (they would otherwise keep firing in their
name) and tells the remaining admins, who can take them over with one button."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.storage.broadcasts import Draft
from tests.handlers.harness import (
    ADMIN,
    CHANNELS,
    USER,
    Bot,
    button_texts,
    keyboard,
    make_config,
)

FIRST = next(iter(CHANNELS))


def _schedule_by(bot: Bot, user_id: int, text: str) -> int:
    store = bot.services.store
    draft = Draft(
        html=text,
        image=None,
        targets=None,
        run_at=datetime.now(UTC) + timedelta(hours=1),
        repeat="daily",
        content="text",
        timezone="Asia/Makassar",
        created_by=user_id,
        created_by_name="Admin Lama",
        created_in=user_id,
    )
    broadcast_id = store.create_broadcast(draft, now=datetime.now(UTC))
    confirmed = store.confirm_broadcast(broadcast_id)
    bot.app.bot_data.scheduler.arrange(confirmed)
    return broadcast_id


async def test_removing_an_admin_pauses_their_schedules_until_taken_over(bot: Bot):
    await bot.ask(f"/admin tambah {USER}", user_id=ADMIN)
    mine = _schedule_by(bot, USER, "Jadwal admin lama")
    other = _schedule_by(bot, ADMIN, "Jadwal admin tetap")

    before = len(bot.sent_to(ADMIN))
    bot.api.inject_update(f"/admin hapus {USER}", user_id=ADMIN)
    found = await bot.api.await_calls(before + 2, 10, method="sendMessage", chat_id=ADMIN)
    done, notice = sorted(found[before:], key=lambda c: bool(keyboard(c)))
    assert "bukan admin lagi" in done["text"]
    assert f"#{mine}" in notice["text"] and "dijeda" in notice["text"]
    assert f"#{other}" not in notice["text"]
    assert button_texts(notice) == ["✅ Ambil alih jadwal"]
    store = bot.services.store
    assert store.get_broadcast(mine).status == "paused"
    assert store.get_broadcast(other).status == "pending"

    paused = store.get_broadcast(mine)
    await bot.app.bot_data.scheduler.fire(mine, paused.draft.run_at)  # its time comes: nothing
    assert store.get_broadcast(mine).runs == 0
    (listing,) = await bot.ask("/daftarjadwal", user_id=ADMIN)
    assert f"#{mine}" not in listing["text"] and f"#{other}" in listing["text"]

    (take,) = keyboard(notice)
    await bot.press(take, notice["message_id"], user_id=USER, chat_id=ADMIN, replies=0)
    refusal = bot.api.calls(method="answerCallbackQuery")[-1]["params"]
    assert "hanya untuk admin" in refusal["text"]  # the removed admin cannot take them back
    (taken,) = await bot.press(take, notice["message_id"])
    assert f"#{mine}" in taken["text"]
    resumed = store.get_broadcast(mine)
    assert resumed.status == "pending" and resumed.draft.created_by == ADMIN
    assert bot.app.bot_data.scheduler.job_queue.get_jobs_by_name(f"broadcast:{mine}")
    actions = [e.action for e in store.audit_entries()]
    assert "admin_remove" in actions and "schedules_take_over" in actions


async def test_schedules_of_someone_no_longer_admin_are_paused_at_start(tmp_path, api, feeds):
    config = make_config(tmp_path, feeds, api)
    bot = await Bot(api, config).start()
    await bot.posts_delivered()
    gone = 4242  # an admin once (say, in the config), not any more
    orphan = _schedule_by(bot, gone, "Jadwal yatim")
    kept = _schedule_by(bot, ADMIN, "Jadwal admin")
    await bot.stop()
    before = len(api.calls(method="sendMessage", chat_id=ADMIN))
    bot = await Bot(api, config).start()
    try:
        store = bot.services.store
        assert store.get_broadcast(orphan).status == "paused"
        assert store.get_broadcast(kept).status == "pending"
        assert not bot.app.job_queue.get_jobs_by_name(f"broadcast:{orphan}")
        notice = (await api.await_calls(before + 1, 10, method="sendMessage", chat_id=ADMIN))[-1]
        assert f"#{orphan}" in notice["text"] and button_texts(notice) == ["✅ Ambil alih jadwal"]
    finally:
        await bot.stop()
