"""/langganan and /berhenti: private chats and groups become delivery targets; group admins only;
an anonymous admin counts; blocking the bot unsubscribes."""

from __future__ import annotations

import time

from tests.e2e.feeds import articles, election_titles, rss
from tests.handlers.harness import (
    GROUP,
    GROUP_ADMIN,
    USER,
    Bot,
    make_config,
)


def _subscription(bot: Bot, chat_id: int) -> tuple[bool, str | None]:
    return bot.services.store.subscription_topic(chat_id)


async def test_a_subscriber_receives_new_posts_and_can_stop(tmp_path, api, feeds):
    feeds.set("/berita.rss", rss([]), content_type="application/rss+xml")
    bot = await Bot(api, make_config(tmp_path, feeds, api)).start()
    try:
        (reply,) = await bot.ask("/langganan")
        assert "berlangganan" in reply["text"] and "semua berita pemilu" in reply["text"]
        (reply,) = await bot.ask("/subscribe", language_code="en")
        assert "already subscribed" in reply["text"]

        feeds.set("/berita.rss", rss(articles()), content_type="application/rss+xml")
        await bot.services.pipeline.poll(every=True)
        bot.app.bot_data.worker.wake()
        count = len(election_titles())
        posts = await bot.api.await_calls(count + 2, 20, method="sendMessage", chat_id=USER)
        assert len([p for p in posts if "berita.example" in p["text"]]) == count

        (reply,) = await bot.ask("/berhenti")
        assert "dihentikan" in reply["text"]
        assert _subscription(bot, USER) == (False, None)
        (reply,) = await bot.ask("/unsubscribe", language_code="en")
        assert "no subscription" in reply["text"]
    finally:
        await bot.stop()


async def test_topics_are_the_taxonomys(bot: Bot):
    (reply,) = await bot.ask("/topik")
    assert "pilkada" in reply["text"] and "bawaslu" in reply["text"]
    (reply,) = await bot.ask("/langganan pilkada")
    assert "Pilkada" in reply["text"]
    assert _subscription(bot, USER) == (True, "pilkada")
    (reply,) = await bot.ask("/langganan sepakbola")
    assert "Topik tidak dikenal" in reply["text"] and "pilkada" in reply["text"]
    assert _subscription(bot, USER) == (True, "pilkada")


async def test_in_a_group_only_its_admins_subscribe(bot: Bot):
    (reply,) = await bot.ask("/langganan", user_id=USER, chat_id=GROUP)
    assert "hanya admin grup" in reply["text"]
    assert _subscription(bot, GROUP) == (False, None)
    (reply,) = await bot.ask("/langganan", user_id=GROUP_ADMIN, chat_id=GROUP)
    assert "berlangganan" in reply["text"]
    assert _subscription(bot, GROUP) == (True, None)
    (reply,) = await bot.ask("/berhenti", user_id=USER, chat_id=GROUP)
    assert "hanya admin grup" in reply["text"]
    assert _subscription(bot, GROUP)[0]


async def test_an_anonymous_group_admin_writes_as_the_group(bot: Bot):
    group = {"id": GROUP, "type": "supergroup", "title": "Grup Humas"}
    anonymous = {
        "id": 1087968824,
        "is_bot": True,
        "first_name": "Group",
        "username": "GroupAnonymousBot",
    }
    update = {
        "update_id": 900001,
        "message": {
            "message_id": 9001,
            "date": int(time.time()),
            "chat": group,
            "from": anonymous,
            "sender_chat": group,
            "text": "/langganan pemilu",
            "entities": [{"type": "bot_command", "offset": 0, "length": 10}],
        },
    }
    before = len(bot.sent_to(GROUP))
    await bot.feed(update)
    reply = (await bot.api.await_calls(before + 1, 10, method="sendMessage", chat_id=GROUP))[-1]
    assert "Pemilu" in reply["text"]
    assert _subscription(bot, GROUP) == (True, "pemilu")


async def test_a_user_who_blocks_the_bot_is_unsubscribed(bot: Bot):
    await bot.ask("/langganan")
    assert _subscription(bot, USER)[0]
    user = {"id": USER, "is_bot": False, "first_name": "Tester"}
    me = {"id": 123456, "is_bot": True, "first_name": "Fake Bot", "username": "fake_test_bot"}
    update = {
        "update_id": 900002,
        "my_chat_member": {
            "chat": {"id": USER, "type": "private", "first_name": "Tester"},
            "from": user,
            "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": me},
            "new_chat_member": {"status": "kicked", "user": me, "until_date": 0},
        },
    }
    await bot.feed(update)
    assert _subscription(bot, USER) == (False, None)
