"""Broadcasts: a draft is checked (channels, item, length), kept once its preview went out, and
sent at once or scheduled on ✅ Kirim, once only and only while fresh; ❌ Batal cancels it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services import Services
from bot.services.base import Actor
from bot.services.broadcasts import (
    MAX_CAPTION,
    Confirm,
    DraftProblem,
    DraftReady,
    DraftRefused,
    DraftRequest,
    Queued,
    Scheduled,
)
from tests.fakes.timer import RecordingTimer
from tests.services.conftest import ADMIN, AS_ADMIN, KALTIM, audit_actions


async def draft_id(services: Services, request: DraftRequest, by: Actor = AS_ADMIN) -> int:
    ready = await services.broadcasts.prepare(request, by)
    assert isinstance(ready, DraftReady)
    saved = await services.broadcasts.save(ready.draft, by)
    assert isinstance(saved, int)
    return saved


async def test_a_draft_is_refused_for_unknown_channels_items_and_length(services: Services):
    prepare = services.broadcasts.prepare
    unknown = await prepare(DraftRequest(targets=("@entah",), html="Halo"), AS_ADMIN)
    assert unknown == DraftRefused(DraftProblem.UNKNOWN_TARGETS, unknown=("@entah",))
    item = await prepare(DraftRequest(item_id=99), AS_ADMIN)
    assert item == DraftRefused(DraftProblem.UNKNOWN_ITEM)
    assert await prepare(DraftRequest(html="  "), AS_ADMIN) == DraftRefused(DraftProblem.EMPTY)
    long_caption = DraftRequest(html="x" * (MAX_CAPTION + 1), image="file-id")
    too_long = await prepare(long_caption, AS_ADMIN)
    assert too_long == DraftRefused(DraftProblem.TOO_LONG, limit=MAX_CAPTION)
    assert services.store.audit_entries() == []


async def test_a_checked_draft_names_its_reach_and_the_pauses_in_force(services: Services):
    await services.editorial.pause([str(KALTIM)], None, AS_ADMIN)
    ready = await services.broadcasts.prepare(DraftRequest(html="<b>Rapat</b>"), AS_ADMIN)
    assert isinstance(ready, DraftReady)
    assert ready.preview == "<b>Rapat</b>" and ready.channels == 2
    assert [p.chats for p in ready.pauses] == [frozenset({str(KALTIM)})]
    assert ready.draft.created_by == ADMIN and ready.draft.created_by_name == "@admin"


async def test_send_now_queues_one_delivery_per_channel_once(services: Services, wakes: list[str]):
    broadcast_id = await draft_id(services, DraftRequest(html="Rapat koordinasi"))
    confirmed = await services.broadcasts.confirm(broadcast_id, AS_ADMIN)
    assert isinstance(confirmed, Queued) and confirmed.count == 2
    assert wakes == ["wake"]
    assert await services.broadcasts.confirm(broadcast_id, AS_ADMIN) is Confirm.GONE
    assert audit_actions(services) == ["broadcast_draft", "broadcast_confirm"]
    progress = await services.runs.progress(broadcast_id)
    assert progress is not None and progress[1].total == 2 and progress[1].waiting == 2


async def test_a_stale_draft_is_not_sent(services: Services):
    broadcast_id = await draft_id(services, DraftRequest(html="Rapat"))
    services.broadcasts.clock = lambda: datetime.now(UTC) + timedelta(hours=25)
    assert await services.broadcasts.confirm(broadcast_id, AS_ADMIN) is Confirm.EXPIRED


async def test_a_schedule_is_set_on_confirm_and_cancelled(
    services: Services, timer: RecordingTimer
):
    run_at = datetime.now(UTC) + timedelta(hours=3)
    broadcast_id = await draft_id(services, DraftRequest(html="Rapat", run_at=run_at))
    confirmed = await services.broadcasts.confirm(broadcast_id, AS_ADMIN)
    assert isinstance(confirmed, Scheduled) and timer.arranged == [broadcast_id]
    assert [b.id for b in await services.broadcasts.pending_schedules()] == [broadcast_id]
    assert await services.broadcasts.cancel(broadcast_id, AS_ADMIN, action="schedule_cancel")
    assert not await services.broadcasts.cancel(broadcast_id, AS_ADMIN)
    assert timer.forgotten == [broadcast_id]
    assert audit_actions(services)[-1] == "schedule_cancel"


async def test_a_due_schedule_fires_once_and_a_daily_one_comes_back(
    services: Services, wakes: list[str]
):
    run_at = datetime.now(UTC) + timedelta(minutes=5)
    request = DraftRequest(html="Apel pagi", run_at=run_at, repeat="daily")
    broadcast_id = await draft_id(services, request)
    await services.broadcasts.confirm(broadcast_id, AS_ADMIN)
    services.runs.clock = lambda: run_at + timedelta(seconds=5)
    again = await services.runs.fire(broadcast_id, run_at)
    assert again is not None and again.draft.run_at == run_at + timedelta(days=1)
    assert await services.runs.fire(broadcast_id, run_at) is None  # fired already
    assert wakes == ["wake"]


async def test_a_digest_draft_previews_todays_digest(services: Services):
    ready = await services.broadcasts.prepare(
        DraftRequest(digest=True, run_at=datetime.now(UTC) + timedelta(hours=1), repeat="daily"),
        AS_ADMIN,
    )
    assert isinstance(ready, DraftReady)
    assert ready.draft.content == "digest" and "Ringkasan" in ready.preview
