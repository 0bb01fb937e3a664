"""The progress report of a broadcast: one message, edited until every channel has it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select

from bot.broadcast.progress import Progress, progress_text, report
from bot.settings import ChannelConfig
from bot.storage import Store
from bot.storage.schema import DeliveryRow
from tests.pipeline.support import queue_broadcast

NOW = datetime(2024, 2, 10, tzinfo=UTC)


def test_the_text_gives_counts_and_an_estimate_of_the_time_left():
    text = progress_text(Progress(sent=240, failed=2, waiting=358, total=600), 10.0, "id")
    assert text == "📤 Siaran: terkirim 240/600, gagal 2, sisa ~15 detik"
    assert "sisa ? detik" in progress_text(Progress(0, 0, 600, 600), 0.0, "id")
    done = progress_text(Progress(598, 2, 0, 600), 21.4, "id")
    assert done == "✅ Siaran selesai: terkirim 598/600, gagal 2 (21 detik)"
    assert "sent 1/2" in progress_text(Progress(1, 0, 1, 2), 1.0, "en")


def broadcast_item(store: Store, channels: int) -> tuple[int, list[int]]:
    chat_ids = [-1000 - i for i in range(channels)]
    store.sync_channels([ChannelConfig(chat_id=chat_id) for chat_id in chat_ids])
    item_id = queue_broadcast(store, chat_ids, NOW)
    with store.session() as session:
        query = (
            select(DeliveryRow.id).where(DeliveryRow.item_id == item_id).order_by(DeliveryRow.id)
        )
        return item_id, list(session.scalars(query))


async def test_report_edits_one_message_until_the_broadcast_is_done(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    item_id, deliveries = broadcast_item(store, 12)
    sent: list[str] = []
    edits: list[tuple[int, str]] = []
    shown = asyncio.Event()

    async def send(text: str) -> int:
        sent.append(text)
        shown.set()
        return 7

    async def edit(message_id: int, text: str) -> None:
        edits.append((message_id, text))

    async def deliver() -> None:
        await shown.wait()  # the first report reads the broadcast before any delivery ends
        for number, delivery_id in enumerate(deliveries):
            with store.session() as session:
                row = session.get_one(DeliveryRow, delivery_id)
                row.status = "failed" if number == 0 else "sent"
            await asyncio.sleep(0.005)

    async def read() -> Progress:
        return await asyncio.to_thread(store.item_progress, item_id)

    final, _ = await asyncio.gather(report(read, send, edit, language="id", every=0.01), deliver())
    assert final == Progress(sent=11, failed=1, waiting=0, total=12)
    assert sent == ["📤 Siaran: terkirim 0/12, gagal 0, sisa ? detik"]
    assert edits and all(message_id == 7 for message_id, _ in edits)
    assert edits[-1][1].startswith("✅ Siaran selesai: terkirim 11/12, gagal 1")
    store.close()
