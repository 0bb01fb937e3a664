"""Filling an outbox the way the pipeline does (items stored, analysed, queued per channel) for
the outbox tests, the crash tests and bench/broadcast.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.models import Analysis, Item, Post, Quote
from bot.settings import ChannelConfig
from bot.storage import Store
from bot.storage.schema import FeedRow

FEED_URL = "https://berita.example/rss"


def channel_configs(chat_ids: Sequence[int | str]) -> list[ChannelConfig]:
    return [ChannelConfig(chat_id=chat_id, name=f"Humas {chat_id}") for chat_id in chat_ids]


def election() -> Analysis:
    quote = Quote("Pemilu harus damai", "Ketua KPU Andi")
    return Analysis(is_election=True, score=3.0, reasons=(), quotes=(quote,), key_quotes=(quote,))


def _feed_id(store: Store) -> int:
    with store.session() as session:
        feed_id = session.scalar(select(FeedRow.id).where(FeedRow.url == FEED_URL))
        if feed_id is None:
            row = FeedRow(url=FEED_URL, name="Berita Uji")
            session.add(row)
            session.flush()
            feed_id = row.id
        return feed_id


def queue_posts(
    store: Store,
    count: int = 1,
    *,
    prefix: str = "Berita",
    now: datetime | None = None,
    image: str | None = None,
    caption: bool = False,
) -> list[int]:
    """Store `count` election items published a minute apart (the first is the oldest) and queue
    each to every active channel through `save_analysis`; returns the item ids."""
    now = now or datetime.now(UTC)
    items = [
        Item(
            uid=f"{prefix}-{now.timestamp()}-{i}",
            title=f"{prefix} {i}",
            link=f"https://berita.example/{prefix}/{i}",
            published=now - timedelta(minutes=count - i),
            summary="",
            content="isi",
            image=image,
        )
        for i in range(count)
    ]
    stored = store.add_items(_feed_id(store), items, now=now, max_age=timedelta(days=1))
    for new, item in zip(stored, items, strict=True):
        html = f"<b>{item.title}</b>\nKPU menetapkan jadwal. {item.link}"
        post = Post(html=html, image=image, caption=f"<b>{item.title}</b>" if caption else None)
        store.save_analysis(new.id, election(), post, now=now)
    return [new.id for new in stored]
