"""Items: insert what is new, store the analysis and post, and read recent posts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Analysis, Item, Post
from bot.storage.base import HasSession
from bot.storage.tables import ChannelRow, DeliveryRow, ItemRow, QuoteRow
from bot.storage.views import NewItem, StoredPost


def is_postable(item: Item, *, now: datetime, max_age: timedelta, feed_is_new: bool) -> bool:
    """An item may be posted only if it was still fresh when first seen.

    Undated items count as fresh except on a feed's first fetch, where an undated archive
    cannot be told from today's news and must not flood the channels.
    """
    if item.published is None:
        return not feed_is_new
    return item.published >= now - max_age


class ItemQueries:
    def add_items(
        self: HasSession,
        feed_id: int,
        items: Sequence[Item],
        *,
        now: datetime,
        max_age: timedelta,
    ) -> list[NewItem]:
        """Store the items not seen before (by uid, across all feeds); return only those."""
        if not items:
            return []
        with self.session() as session:
            uids = [item.uid for item in items]
            known = set(session.scalars(select(ItemRow.uid).where(ItemRow.uid.in_(uids))))
            feed_is_new = (
                session.scalar(select(ItemRow.id).where(ItemRow.feed_id == feed_id)) is None
            )
            fresh: list[ItemRow] = []
            for item in items:
                if item.uid in known:
                    continue
                known.add(item.uid)
                postable = is_postable(item, now=now, max_age=max_age, feed_is_new=feed_is_new)
                fresh.append(_item_row(feed_id, item, now, postable))
            session.add_all(fresh)
            session.flush()
            return [NewItem(row.id, row.uid, feed_id, row.postable) for row in fresh]

    def save_analysis(
        self: HasSession,
        item_id: int,
        analysis: Analysis,
        post: Post,
        *,
        now: datetime,
        channel_posts: Mapping[str, Post] | None = None,
    ) -> int:
        """Store the analysis and the post; when the item is election news and postable, put one
        delivery per active channel in the outbox, in the same transaction. Returns how many.

        channel_posts: the post as rendered with a channel's own template, by chat id."""
        with self.session() as session:
            row = session.get_one(ItemRow, item_id)
            row.analysed = True
            row.is_election = analysis.is_election
            row.score = analysis.score
            row.reasons = [asdict(reason) for reason in analysis.reasons]
            row.hashtags = list(analysis.hashtags)
            row.topics = list(analysis.topics)
            row.post_html, row.post_caption = post.html, post.caption
            keys = {quote.text for quote in analysis.key_quotes}
            session.add_all(
                QuoteRow(
                    item_id=item_id, position=i, text=q.text, speaker=q.speaker, key=q.text in keys
                )
                for i, q in enumerate(analysis.quotes)
            )
            if not (analysis.is_election and row.postable):
                return 0
            return _enqueue(session, row, now, channel_posts or {})

    def latest_posts(self: HasSession, limit: int) -> list[StoredPost]:
        """The newest election posts, newest first."""
        query = (
            select(ItemRow)
            .where(ItemRow.is_election.is_(True), ItemRow.post_html.is_not(None))
            .order_by(ItemRow.published_at.desc().nulls_last(), ItemRow.id.desc())
            .limit(limit)
        )
        with self.session() as session:
            return [_stored_post(row) for row in session.scalars(query)]


def _enqueue(session: Session, item: ItemRow, now: datetime, own: Mapping[str, Post]) -> int:
    """One pending delivery per active channel (taking the item's topics) not yet queued."""
    item_id = item.id
    queued = set(
        session.scalars(select(DeliveryRow.channel_id).where(DeliveryRow.item_id == item_id))
    )
    query = select(ChannelRow.id, ChannelRow.chat_id, ChannelRow.topic).where(
        ChannelRow.active.is_(True)
    )
    fresh = [
        (channel_id, chat_id)
        for channel_id, chat_id, topic in session.execute(query)
        if channel_id not in queued and (topic is None or topic in item.topics)
    ]
    for channel_id, chat_id in fresh:
        custom = own.get(chat_id)
        session.add(
            DeliveryRow(
                channel_id=channel_id,
                item_id=item_id,
                status="pending",
                attempts=0,
                created_at=now,
                post_html=custom.html if custom else None,
                post_caption=custom.caption if custom else None,
            )
        )
    return len(fresh)


def _item_row(feed_id: int, item: Item, now: datetime, postable: bool) -> ItemRow:
    return ItemRow(
        feed_id=feed_id,
        uid=item.uid,
        guid=item.guid,
        link=item.link,
        title=item.title,
        published_at=item.published,
        first_seen_at=now,
        summary=item.summary,
        content=item.content,
        image=item.image,
        postable=postable,
        analysed=False,
        is_election=False,
        score=0.0,
        reasons=[],
        hashtags=[],
    )


def _stored_post(row: ItemRow) -> StoredPost:
    assert row.post_html is not None
    return StoredPost(
        item_id=row.id,
        title=row.title,
        link=row.link,
        published=row.published_at,
        html=row.post_html,
        caption=row.post_caption,
        image=row.image,
    )
