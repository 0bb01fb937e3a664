"""Items: insert what is new, and store each one's analysis and post, queueing its deliveries
(one per chat that takes it) in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.deliver import topics
from bot.editorial.plan import Decision, Plan
from bot.fetch.freshness import is_postable
from bot.models import Analysis, Item, Post
from bot.storage.base import HasSession, chunks, insert_ignoring_conflicts
from bot.storage.retry import retrying
from bot.storage.schema import ChannelRow, DeliveryRow, ItemRow, QuoteRow, ReviewRow


@dataclass(frozen=True, slots=True)
class NewItem:
    """An item stored for the first time, to be analysed when postable."""

    id: int
    uid: str
    feed_id: int
    postable: bool


@dataclass(frozen=True, slots=True)
class Analysed:
    """An item's analysis and post, ready to be stored (and queued when it is election news)."""

    item_id: int
    analysis: Analysis
    post: Post
    channel_posts: Mapping[str, Post] = field(default_factory=dict)  # by chat id
    content: str | None = None  # the article's text when read from its page
    plan: Plan | None = None  # per channel: send, wait for review, or filtered out


class ItemQueries:
    @retrying
    def add_items(
        self: HasSession,
        feed_id: int,
        items: Sequence[Item],
        *,
        now: datetime,
        max_age: timedelta,
    ) -> list[NewItem]:
        """Store the items not seen before (by uid, across all feeds); return only those.

        Known uids are looked up in one query per 500 and cost nothing more. Items that may
        never be posted (too old when first seen) are stored without their text: they only
        mark the uid as seen."""
        if not items:
            return []
        with self.session() as session:
            known = _known_uids(session, [item.uid for item in items])
            unseen: dict[str, Item] = {}
            for item in items:
                if item.uid not in known:
                    unseen.setdefault(item.uid, item)
            if not unseen:
                return []
            feed_is_new = (
                session.scalar(select(ItemRow.id).where(ItemRow.feed_id == feed_id).limit(1))
                is None
            )
            values = [
                _item_values(
                    feed_id,
                    item,
                    now,
                    is_postable(item, now=now, max_age=max_age, feed_is_new=feed_is_new),
                )
                for item in unseen.values()
            ]
            # One multi-row INSERT (asking for the rows back in order would send one per row).
            # Another instance may store the same uid meanwhile: the unique uid decides, and
            # only the rows inserted here come back.
            statement = insert_ignoring_conflicts(session, ItemRow).returning(
                ItemRow.id, ItemRow.uid, ItemRow.postable
            )
            by_uid = {row.uid: row for row in session.execute(statement, values)}
            return [
                NewItem(by_uid[uid].id, uid, feed_id, by_uid[uid].postable)
                for uid in unseen
                if uid in by_uid
            ]

    def save_analysis(
        self: HasSession,
        item_id: int,
        analysis: Analysis,
        post: Post,
        *,
        now: datetime,
        channel_posts: Mapping[str, Post] | None = None,
        content: str | None = None,
    ) -> int:
        """Store the analysis and the post; when the item is election news and postable, put one
        delivery per active channel in the outbox, in the same transaction. Returns how many.

        channel_posts: the post as rendered with a channel's own template, by chat id.
        content: the article's text when it was fetched from its page (full text)."""
        with self.session() as session:
            return _store_analysis(
                session, item_id, analysis, post, now, channel_posts or {}, content
            )

    def save_analyses(self: HasSession, results: Sequence[Analysed], *, now: datetime) -> int:
        """:meth:`save_analysis` for many items in one transaction; returns deliveries queued."""
        with self.session() as session:
            return sum(
                _store_analysis(
                    session, r.item_id, r.analysis, r.post, now, r.channel_posts, r.content, r.plan
                )
                for r in results
            )


def _store_analysis(
    session: Session,
    item_id: int,
    analysis: Analysis,
    post: Post,
    now: datetime,
    channel_posts: Mapping[str, Post],
    content: str | None,
    plan: Plan | None = None,
) -> int:
    row = session.get_one(ItemRow, item_id)
    if content is not None:
        row.content = content
    row.analysed = True
    row.is_election = analysis.is_election
    row.score = analysis.score
    row.reasons = [asdict(reason) for reason in analysis.reasons]
    row.hashtags = list(analysis.hashtags)
    row.topics = list(analysis.topics)
    row.post_html, row.post_caption = post.html, post.caption
    keys = {quote.text for quote in analysis.key_quotes}
    session.add_all(
        QuoteRow(item_id=item_id, position=i, text=q.text, speaker=q.speaker, key=q.text in keys)
        for i, q in enumerate(analysis.quotes)
    )
    if not (analysis.is_election and row.postable):
        return 0
    return _enqueue(session, row, now, channel_posts, plan)


def _enqueue(
    session: Session,
    item: ItemRow,
    now: datetime,
    own: Mapping[str, Post],
    plan: Plan | None = None,
) -> int:
    """One delivery per active channel (taking the item's topics) not yet queued: pending, or
    waiting for review (with one review record for the item), unless routing filters it out."""
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
        if channel_id not in queued and topics.takes(topic, item.topics)
    ]
    queued_now = 0
    reviews: dict[str, str] = {}
    for channel_id, chat_id in fresh:
        decision = plan.decision(chat_id) if plan else Decision("pending")
        if decision.status == "filtered":
            continue
        if decision.status == "review":
            reviews[chat_id] = decision.reason or ""
        queued_now += 1
        custom = own.get(chat_id)
        session.add(
            DeliveryRow(
                channel_id=channel_id,
                item_id=item_id,
                status=decision.status,
                attempts=0,
                created_at=now,
                post_html=custom.html if custom else None,
                post_caption=custom.caption if custom else None,
            )
        )
    if reviews:
        session.add(
            ReviewRow(item_id=item_id, chat_ids=sorted(reviews), reasons=reviews, created_at=now)
        )
    return queued_now


def _known_uids(session: Session, uids: list[str]) -> set[str]:
    known: set[str] = set()
    for batch in chunks(uids):
        known.update(session.scalars(select(ItemRow.uid).where(ItemRow.uid.in_(batch))))
    return known


def _item_values(feed_id: int, item: Item, now: datetime, postable: bool) -> dict[str, object]:
    return {
        "feed_id": feed_id,
        "uid": item.uid,
        "guid": item.guid,
        "link": item.link,
        "title": item.title,
        "published_at": item.published,
        "first_seen_at": now,
        "summary": item.summary if postable else "",
        "content": item.content if postable else "",
        "image": item.image,
        "postable": postable,
        "analysed": False,
        "is_election": False,
        "score": 0.0,
        "reasons": [],
        "hashtags": [],
        "topics": [],
    }
