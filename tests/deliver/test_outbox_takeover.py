"""A new sender takes over the outbox at once, and an old one sends nothing past its lease."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Post
from bot.pipeline.outbox import FencedSink
from tests.deliver.outbox_support import queue_posts
from tests.pipeline.support import RecordingSink, make_services

CHATS = (-1001, -1002)  # the channels of make_services


async def test_a_new_sender_resends_at_once_what_the_dead_one_had_claimed(tmp_path, database_url):
    services, sink = make_services(tmp_path, [], database=database_url)
    store, outbox = services.store, services.outbox
    queue_posts(store, 1)
    # The sender of generation 1, on another host (no pid to look at), claimed one row and died.
    [claimed] = store.claim_jobs("far-host:1:a", now=datetime.now(UTC), limit=1, lease=1)
    await outbox.deliver()  # a sender outside the role: that row waits out its claim lease
    assert len(sink.sent) == 1 and claimed.chat_id not in {chat for chat, _ in sink.sent}
    assert await outbox.take_over(2) == 1  # the holder of generation 2 takes it back at once
    await outbox.deliver()
    assert sorted(chat for chat, _ in sink.sent) == sorted(CHATS)
    assert store.delivery_log(claimed.delivery_id)[0][1:] == ("requeued", "sender replaced")
    services.close()


async def test_a_sender_past_its_fence_claims_nothing(tmp_path, database_url):
    services, sink = make_services(tmp_path, [], database=database_url)
    queue_posts(services.store, 1)
    services.outbox.fence = lambda: False  # its lease may have run out
    await services.outbox.deliver()
    assert sink.sent == []
    assert services.store.outbox_pending() == len(CHATS)
    services.close()


async def test_a_claimed_send_waits_for_the_fence_before_it_starts():
    asked: list[bool] = []

    def fence() -> bool:  # the lease renewed late: down for three looks, then up again
        asked.append(len(asked) >= 3)
        return asked[-1]

    sink = RecordingSink()
    outcome = await FencedSink(sink, fence, check_every=0).send(-1001, Post(html="Siaran"))
    assert outcome.status == "sent" and asked == [False, False, False, True]
    assert [chat for chat, _ in sink.sent] == [-1001]
