"""Channels and admins: who may post where, adding, removing and re-enabling channels, adding
and removing admins (a removed admin's schedules are paused), each recorded in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services import Services
from bot.services.base import Actor, ChatInfo, Membership
from bot.services.broadcasts import DraftReady, DraftRequest, Scheduled
from bot.services.channels import (
    AdminChange,
    AdminList,
    AdminRefusal,
    ChannelAdd,
    ChannelAdded,
    ChannelEnable,
    ChannelRemove,
    ChannelUnreachable,
    may_post,
)
from tests.fakes.timer import RecordingTimer
from tests.services.conftest import (
    ADMIN,
    AS_ADMIN,
    BALIKPAPAN,
    KALTIM,
    KeepingSink,
    TableProbe,
    audit_actions,
)

NEW_CHANNEL = -1003003
CHANNEL = ChatInfo(NEW_CHANNEL, "Kanal Baru", "channel")


@pytest.mark.parametrize(
    ("kind", "status", "can_post", "allowed"),
    [
        ("channel", "administrator", True, True),
        ("channel", "administrator", False, False),  # an admin without the right to post
        ("channel", "member", False, False),
        ("supergroup", "administrator", False, True),
        ("supergroup", "member", False, True),
        ("supergroup", "left", False, False),
    ],
)
def test_who_may_post_where(kind: str, status: str, can_post: bool, allowed: bool):
    chat = ChatInfo(1, "x", kind)
    assert may_post(chat, Membership(status, can_post)) is allowed


async def test_a_channel_the_bot_may_post_in_is_added_and_recorded(
    services: Services, probe: TableProbe
):
    probe.chats["@kanal_baru"] = CHANNEL
    probe.members[(NEW_CHANNEL, None)] = Membership("administrator", can_post_messages=True)
    added = await services.channels.add("@kanal_baru", AS_ADMIN)
    assert added == ChannelAdded(ChannelAdd.ADDED, CHANNEL)
    again = await services.channels.add("@kanal_baru", AS_ADMIN)
    assert again == ChannelAdded(ChannelAdd.EXISTS, CHANNEL)
    assert audit_actions(services) == ["channel_add", "channel_add"]
    listed = await services.channels.listing(AS_ADMIN)
    assert isinstance(listed, list)
    assert [c.chat_id for c in listed] == [str(KALTIM), "-1001002", str(NEW_CHANNEL)]


async def test_a_channel_the_bot_cannot_post_in_is_refused(services: Services, probe: TableProbe):
    probe.chats[NEW_CHANNEL] = CHANNEL
    probe.members[(NEW_CHANNEL, None)] = Membership("administrator", can_post_messages=False)
    added = await services.channels.add(NEW_CHANNEL, AS_ADMIN)
    assert added == ChannelAdded(ChannelAdd.CANNOT_POST, CHANNEL)
    assert await services.channels.add("@hilang", AS_ADMIN) == ChannelUnreachable("Chat not found")
    assert services.store.audit_entries() == []


async def test_only_added_channels_are_removed(services: Services, probe: TableProbe):
    probe.chats[NEW_CHANNEL] = CHANNEL
    probe.members[(NEW_CHANNEL, None)] = Membership("administrator", can_post_messages=True)
    await services.channels.add(NEW_CHANNEL, AS_ADMIN)
    assert await services.channels.remove(str(KALTIM), AS_ADMIN) is ChannelRemove.IN_CONFIG
    removed = await services.channels.remove(str(NEW_CHANNEL), AS_ADMIN, label="@kanal_baru")
    assert removed is ChannelRemove.REMOVED
    assert await services.channels.remove(str(NEW_CHANNEL), AS_ADMIN) is ChannelRemove.UNKNOWN
    assert audit_actions(services) == ["channel_add", "channel_remove"]
    assert services.store.audit_entries()[0].detail == "@kanal_baru"


async def test_a_deactivated_channel_is_enabled_and_delivery_woken(
    services: Services, wakes: list[str]
):
    assert await services.channels.enable(KALTIM, AS_ADMIN) is ChannelEnable.ALREADY_ACTIVE
    services.store.deactivate_channel(KALTIM, "bot removed from channel")
    assert await services.channels.enable(KALTIM, AS_ADMIN) is ChannelEnable.ENABLED
    assert await services.channels.enable(-1009, AS_ADMIN) is ChannelEnable.UNKNOWN
    assert wakes == ["wake"]
    assert audit_actions(services) == ["channel_enable"]


async def test_admins_are_added_listed_and_config_admins_stay(services: Services):
    assert await services.channels.add_admin(777, AS_ADMIN) == AdminChange(True, [])
    assert await services.channels.add_admin(777, AS_ADMIN) == AdminChange(False, [])
    assert await services.channels.admin_list(AS_ADMIN) == AdminList([ADMIN], [777])
    assert await services.channels.remove_admin(ADMIN, AS_ADMIN) is AdminRefusal.IN_CONFIG
    assert await services.channels.is_admin(777)
    assert audit_actions(services) == ["admin_add"]


async def test_a_removed_admins_schedules_are_paused_and_can_be_taken_over(
    services: Services, sink: KeepingSink, timer: RecordingTimer
):
    newcomer = Actor(777, "@baru", 777)
    await services.channels.add_admin(777, AS_ADMIN)
    run_at = datetime.now(UTC) + timedelta(days=1)
    ready = await services.broadcasts.prepare(DraftRequest(html="Rapat", run_at=run_at), newcomer)
    assert isinstance(ready, DraftReady)
    broadcast_id = await services.broadcasts.save(ready.draft, newcomer)
    assert isinstance(broadcast_id, int)
    assert isinstance(await services.broadcasts.confirm(broadcast_id, newcomer), Scheduled)

    removed = await services.channels.remove_admin(777, AS_ADMIN)
    assert removed == AdminChange(True, [broadcast_id])
    assert services.store.pending_schedules() == []
    (notice,) = sink.to(ADMIN)  # the admins are told, with a button to take them over
    assert notice.buttons == (("✅ Ambil alih jadwal", "sc:take:777"),)

    taken = await services.broadcasts.take_over(777, AS_ADMIN)
    assert isinstance(taken, list) and [b.id for b in taken] == [broadcast_id]
    assert taken[0].draft.created_by == ADMIN
    assert timer.arranged == [broadcast_id, broadcast_id]
    assert audit_actions(services)[-3:] == [
        "schedules_pause",
        "admin_remove",
        "schedules_take_over",
    ]


async def test_the_admins_are_the_configs_until_one_is_added(services: Services):
    assert not await services.channels.is_admin(888)
    assert await services.channels.admin_ids() == {ADMIN}


async def test_the_active_channels_leave_out_deactivated_ones_and_subscribers(services: Services):
    services.store.deactivate_channel(BALIKPAPAN, "Forbidden: bot was kicked")
    services.store.subscribe(-1009, "Grup Warga", None)
    assert [c.chat_id for c in await services.channels.active()] == [str(KALTIM)]
