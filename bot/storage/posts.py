"""Posts: a stored item's post, and what the public may read: the one rule behind /terbaru, /cari,
digests (and any later panel).

A post is public when it is election news with a rendered post, went out to at least one chat
(a delivery sent) or was published by an admin's review, and was not retracted. A corrected post
is public in its corrected form: its stored post is the correction, and its title and text for
lists and search come from that correction, not from the feed's words it replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, or_, select

from bot.format.html import to_plain_text
from bot.storage.base import HasSession
from bot.storage.schema import (
    CorrectionRow,
    DeliveryRow,
    FeedRow,
    ItemRow,
    RetractionRow,
    ReviewRow,
)

TEXT_CHARS = 2000  # of an item's text kept for search


@dataclass(frozen=True, slots=True)
class PublicPost:
    """A post the public may see: its words for lists and search, and the post itself for
    /terbaru."""

    item_id: int
    title: str
    text: str
    link: str | None
    source: str | None
    time: datetime
    html: str
    caption: str | None = None
    image: str | None = None


def is_public() -> ColumnElement[bool]:
    """The rule, as one SQL condition on ItemRow."""
    sent = exists().where(DeliveryRow.item_id == ItemRow.id, DeliveryRow.status == "sent")
    reviewed = exists().where(ReviewRow.item_id == ItemRow.id, ReviewRow.status == "published")
    retracted = exists().where(RetractionRow.item_id == ItemRow.id)
    return (
        ItemRow.is_election.is_(True)
        & ItemRow.post_html.is_not(None)
        & or_(sent, reviewed)
        & ~retracted
    )


class PostQueries:
    def item_post(self: HasSession, item_id: int) -> tuple[str, str | None, str | None] | None:
        """A stored item's post (html, image, caption), for /siarkan #ID, /tarik, /koreksi."""
        with self.session() as session:
            row = session.get(ItemRow, item_id)
            if row is None or row.post_html is None:
                return None
            return row.post_html, row.image, row.post_caption

    def published_posts(
        self: HasSession, *, since: datetime | None = None, limit: int = 500
    ) -> list[PublicPost]:
        """Public posts, newest first (by publication, else first-seen time)."""
        sort_time = func.coalesce(ItemRow.published_at, ItemRow.first_seen_at)
        corrected = exists().where(CorrectionRow.item_id == ItemRow.id)
        query = (
            select(ItemRow, func.coalesce(FeedRow.name, FeedRow.title), corrected)
            .join(FeedRow, FeedRow.id == ItemRow.feed_id)
            .where(is_public())
            .order_by(sort_time.desc(), ItemRow.id.desc())
            .limit(limit)
        )
        if since is not None:
            query = query.where(sort_time >= since)
        with self.session() as session:
            return [
                _public(row, source, bool(fixed)) for row, source, fixed in session.execute(query)
            ]


def _public(row: ItemRow, source: str | None, corrected: bool) -> PublicPost:
    html = row.post_html or ""
    title, text = row.title, row.summary or row.content[:TEXT_CHARS]
    if corrected:
        text = to_plain_text(html)
        title = " ".join(text.split())
    return PublicPost(
        item_id=row.id,
        title=title,
        text=text,
        link=row.link,
        source=source,
        time=row.sort_time,
        html=html,
        caption=row.post_caption,
        image=row.image,
    )
