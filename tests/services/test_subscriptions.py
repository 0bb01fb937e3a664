"""Subscriptions: anyone in a private chat, in a group only its admins (or the bot's, or the
group writing as itself); a chat that blocks or removes the bot is let go."""

from __future__ import annotations

from bot.services import Services
from bot.services.base import ChatInfo, Membership
from bot.services.subscriptions import Asker, Subscription
from tests.services.conftest import ADMIN, KALTIM, STRANGER, TableProbe

PRIVATE = ChatInfo(STRANGER, "Warga", "private")
GROUP = ChatInfo(-1005005, "Grup Humas", "supergroup")
GROUP_ADMIN = 777


async def test_a_private_chat_subscribes_to_all_or_one_topic(services: Services):
    subscribe = services.subscriptions.subscribe
    assert await subscribe(PRIVATE, None, Asker(STRANGER)) is Subscription.SUBSCRIBED
    assert await subscribe(PRIVATE, None, Asker(STRANGER)) is Subscription.UNCHANGED
    topic = next(iter(services.subscriptions.topics()))
    assert await subscribe(PRIVATE, topic, Asker(STRANGER)) is Subscription.CHANGED
    assert await subscribe(PRIVATE, "bukan-topik", Asker(STRANGER)) is Subscription.BAD_TOPIC
    assert services.store.subscription_topic(STRANGER) == (True, topic)


async def test_in_a_group_only_its_admins_decide(services: Services, probe: TableProbe):
    probe.members[(GROUP.chat_id, STRANGER)] = Membership("member")
    probe.members[(GROUP.chat_id, GROUP_ADMIN)] = Membership("administrator")
    subscribe = services.subscriptions.subscribe
    assert await subscribe(GROUP, None, Asker(STRANGER)) is Subscription.NOT_CHAT_ADMIN
    assert await subscribe(GROUP, None, Asker(999)) is Subscription.NOT_CHAT_ADMIN  # unknown
    assert await subscribe(GROUP, None, Asker(GROUP_ADMIN)) is Subscription.SUBSCRIBED
    as_group = Asker(None, sender_chat_id=GROUP.chat_id)  # an anonymous admin
    assert await services.subscriptions.unsubscribe(GROUP, as_group) is Subscription.UNSUBSCRIBED
    assert await subscribe(GROUP, None, Asker(ADMIN)) is Subscription.SUBSCRIBED  # the bot's


async def test_channels_are_not_subscribers(services: Services):
    channel = ChatInfo(KALTIM, "Humas Kaltim", "channel")
    assert (
        await services.subscriptions.subscribe(channel, None, Asker(None)) is Subscription.IGNORED
    )
    as_private = ChatInfo(KALTIM, "Humas Kaltim", "private")
    outcome = await services.subscriptions.subscribe(as_private, None, Asker(KALTIM))
    assert outcome is Subscription.IS_CHANNEL


async def test_a_chat_that_blocks_the_bot_is_unsubscribed(services: Services):
    await services.subscriptions.subscribe(PRIVATE, None, Asker(STRANGER))
    await services.subscriptions.bot_left(PRIVATE, "kicked")
    assert services.store.subscription_topic(STRANGER) == (False, None)
    unsubscribed = await services.subscriptions.unsubscribe(PRIVATE, Asker(STRANGER))
    assert unsubscribed is Subscription.NOT_SUBSCRIBED


async def test_a_channel_that_removes_the_bot_is_deactivated(services: Services):
    await services.subscriptions.bot_left(ChatInfo(KALTIM, "Humas Kaltim", "channel"), "left")
    active = {c.chat_id: c.active for c in services.store.channel_list()}
    assert active[str(KALTIM)] is False
