"""An item as a reviewer reads it: the article's words, why it was judged election news, its
quotes and speakers (the web panel's review page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.storage.base import HasSession
from bot.storage.schema import FeedRow, ItemRow, QuoteRow


@dataclass(frozen=True, slots=True)
class QuoteView:
    text: str
    speaker: str | None
    key: bool


@dataclass(frozen=True, slots=True)
class ItemDetail:
    item_id: int
    title: str
    link: str | None
    source: str | None
    time: datetime
    text: str  # the article's text, else its summary
    reasons: tuple[dict[str, object], ...]
    quotes: tuple[QuoteView, ...]
    image: str | None


def item_detail(store: HasSession, item_id: int) -> ItemDetail | None:
    query = (
        select(ItemRow, func.coalesce(FeedRow.name, FeedRow.title))
        .join(FeedRow, FeedRow.id == ItemRow.feed_id)
        .where(ItemRow.id == item_id)
    )
    quotes = select(QuoteRow).where(QuoteRow.item_id == item_id).order_by(QuoteRow.position)
    with store.session() as session:
        found = session.execute(query).first()
        if found is None:
            return None
        row, source = found
        return ItemDetail(
            item_id=row.id,
            title=row.title,
            link=row.link,
            source=source,
            time=row.sort_time,
            text=row.content or row.summary,
            reasons=tuple(row.reasons or ()),
            quotes=tuple(QuoteView(q.text, q.speaker, q.key) for q in session.scalars(quotes)),
            image=row.image,
        )
