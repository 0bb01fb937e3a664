"""The pacer counts the delivery log's recent sends once, when the sender starts: seeding it at
every pass counted the same sends again and again, until one channel's 20-a-minute window looked
full and a broadcast waited up to a minute (a scheduled broadcast seemed not to fire)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.pipeline.support import make_services, queue_broadcast


async def test_sends_are_counted_once_however_many_passes(tmp_path):
    services, sink = make_services(tmp_path, [])
    queue_broadcast(services.store, [-1001], datetime.now(UTC), html="Pertama")
    await services.outbox.deliver()
    counted = len(services.pacer._global.sends)
    for _ in range(5):
        await services.outbox.deliver()
    assert len(services.pacer._global.sends) == counted == 1
    queue_broadcast(services.store, [-1001], datetime.now(UTC), html="Kedua")
    await services.outbox.deliver()
    assert [post.html for _, post in sink.sent] == ["Pertama", "Kedua"]
    services.close()
