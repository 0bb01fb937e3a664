"""The figures the panel's front page shows (`status.overview`) and each chat's delivery report
(`channels.deliveries`, the lines of `humasbot deliveries`), read from a real store.

The configured timezone is Asia/Makassar (UTC+8); the overview's clock is fixed at noon there."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.fetch.health import FeedCheck
from bot.models import SendOutcome
from bot.services import Services
from bot.services.broadcasts import DraftReady, DraftRequest, Scheduled
from bot.services.status import Overview
from bot.storage.channels import ChannelDeliveries
from tests.deliver.outbox_support import queue_posts
from tests.services.conftest import AS_ADMIN, BALIKPAPAN, KALTIM

NOON = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)  # 10 March, 12:00 in Makassar
TODAY, YESTERDAY = date(2026, 3, 10), date(2026, 3, 9)


async def overview(services: Services, **options: int) -> Overview:
    services.status.clock = lambda: NOON
    found = await services.status.overview(AS_ADMIN, **options)
    assert isinstance(found, Overview)
    return found


async def schedule(services: Services, text: str, at: datetime) -> int:
    ready = await services.broadcasts.prepare(DraftRequest(html=text, run_at=at), AS_ADMIN)
    assert isinstance(ready, DraftReady)
    broadcast_id = await services.broadcasts.save(ready.draft, AS_ADMIN)
    assert isinstance(broadcast_id, int)
    confirmed = await services.broadcasts.confirm(broadcast_id, AS_ADMIN)
    assert isinstance(confirmed, Scheduled)
    return confirmed.broadcast.id


async def test_posts_are_counted_per_local_day_today_last(services: Services):
    queue_posts(services.store, 2, prefix="Kemarin", now=NOON - timedelta(days=1))
    # 23:00 UTC on the 9th is 07:00 on the 10th in Makassar: today's
    queue_posts(services.store, 1, prefix="Pagi", now=NOON - timedelta(hours=5))
    await services.outbox.deliver()  # the public posts are the ones sent
    found = await overview(services, days=3)
    assert found.posts_per_day == [(date(2026, 3, 8), 0), (YESTERDAY, 2), (TODAY, 1)]


async def test_deliveries_by_outcome_count_one_being_sent_as_pending(services: Services):
    queue_posts(services.store, 2, now=NOON)  # 2 posts x 2 channels
    [claimed] = services.store.claim_jobs("w:1", now=datetime.now(UTC), limit=1)
    services.store.record_outcome(
        claimed, SendOutcome("failed", error="Bad Request"), now=NOON, max_attempts=1
    )
    services.store.claim_jobs("w:1", now=datetime.now(UTC), limit=1)  # in flight
    found = await overview(services)
    assert found.outcomes == {"failed": 1, "pending": 3}
    assert (found.pending, found.failed) == (3, 1)


async def test_the_failing_feeds_are_the_ones_failing_or_gone(services: Services):
    [feed] = services.store.feed_list()
    later = NOON + timedelta(minutes=5)
    failed = FeedCheck(feed.id, "failed", later, error="HTTP 500")
    services.store.record_checks([failed], now=NOON)
    found = await overview(services)
    assert [(f.url, f.status, f.last_error) for f in found.failing_feeds] == [
        (feed.url, "failing", "HTTP 500")
    ]


async def test_the_next_schedules_soonest_first_and_the_pauses_in_force(services: Services):
    soon = datetime.now(UTC) + timedelta(days=1)
    later = await schedule(services, "Nanti", soon + timedelta(hours=2))
    first = await schedule(services, "Segera", soon)
    await schedule(services, "Lusa", soon + timedelta(days=1))
    await services.editorial.pause([str(KALTIM)], None, AS_ADMIN)
    found = await overview(services, schedules=2)
    assert [b.id for b in found.schedules] == [first, later]
    assert [p.chats for p in found.pauses] == [frozenset({str(KALTIM)})]


async def test_each_chat_has_its_delivery_report(services: Services):
    queue_posts(services.store, 1, now=NOON)
    jobs = {j.chat_id: j for j in services.store.claim_jobs("w:1", now=NOON, limit=5)}
    services.store.record_outcome(
        jobs[KALTIM], SendOutcome("sent", message_id=7), now=NOON, max_attempts=3
    )
    gone = SendOutcome("channel_gone", error="Forbidden: bot was kicked")
    services.store.record_outcome(jobs[BALIKPAPAN], gone, now=NOON, max_attempts=3)
    services.store.deactivate_channel(BALIKPAPAN, "Forbidden: bot was kicked")
    rows = await services.channels.deliveries(AS_ADMIN)
    assert isinstance(rows, list) and all(isinstance(r, ChannelDeliveries) for r in rows)
    kaltim, balikpapan = rows
    assert (kaltim.sent, kaltim.pending, kaltim.failed, kaltim.last_success) == (1, 0, 0, NOON)
    assert (balikpapan.active, balikpapan.sent, balikpapan.last_error) == (
        False,
        0,
        "Forbidden: bot was kicked",
    )


async def test_the_channel_list_counts_like_the_delivery_report_without_subscribers(
    services: Services,
):
    services.store.subscribe(-1009, "Grup Warga", None)
    queue_posts(services.store, 1, now=NOON)
    services.store.claim_jobs("w:1", now=NOON, limit=1)  # one in flight: still pending
    listed = await services.channels.listing(AS_ADMIN)
    report = await services.channels.deliveries(AS_ADMIN)
    assert isinstance(listed, list) and isinstance(report, list)
    assert [r.chat_id for r in report] == [str(KALTIM), str(BALIKPAPAN), "-1009"]
    assert [(c.chat_id, c.pending) for c in listed] == [(str(KALTIM), 1), (str(BALIKPAPAN), 1)]
