"""Items: insert what is new, store the analysis and post, and read recent posts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.editorial.plan import Decision, Plan
from bot.models import Analysis, Item, Post
from bot.storage.base import HasSession, chunks, insert_ignoring_conflicts, write_session
from bot.storage.retry import retrying
from bot.storage.schema import ChannelRow, DeliveryRow, ItemRow, QuoteRow, ReviewRow, StoryKeyRow
from bot.storage.views import Analysed, NewItem, StoryCandidate


def is_postable(item: Item, *, now: datetime, max_age: timedelta, feed_is_new: bool) -> bool:
    """An item may be posted only if it was still fresh when first seen.

    Undated items count as fresh except on a feed's first fetch, where an undated archive
    cannot be told from today's news and must not flood the channels.
    """
    if item.published is None:
        return not feed_is_new
    return item.published >= now - max_age


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

    @retrying
    def assign_stories(
        self: HasSession,
        stories: Sequence[StoryCandidate],
        keys: Mapping[int, Sequence[str]] | None = None,
        *,
        now: datetime | None = None,
        since: datetime | None = None,
    ) -> list[StoryCandidate]:
        """Record each postable item's story (its own id when it is the first of its story),
        canonical URL and MinHash signature, for duplicate detection across cycles.

        keys: each new story head's identities (see StoryKeyRow). A key another instance holds
        for a story since `since` makes the head a duplicate of that story, and its own
        duplicates with it: the primary key of story_keys decides, whatever the timing.
        Returns the stories as recorded."""
        if not stories:
            return []
        with write_session(self) as session:
            moved = _claim_story_keys(session, keys or {}, now, since) if now and since else {}
            stories = [
                replace(s, story_id=moved.get(s.story_id, s.story_id)) if moved else s
                for s in stories
            ]
            session.execute(
                update(ItemRow),
                [
                    {
                        "id": s.item_id,
                        "story_id": s.story_id,
                        "canonical_url": s.canonical_url,
                        "minhash": s.minhash,
                    }
                    for s in stories
                ],
            )
        return list(stories)

    def recent_stories(self: HasSession, since: datetime, after: int = 0) -> list[StoryCandidate]:
        """Postable items first seen since ``since`` that belong to a story, oldest first
        (only those with an id above `after`)."""
        query = (
            select(ItemRow.id, ItemRow.story_id, ItemRow.canonical_url, ItemRow.minhash)
            .where(
                ItemRow.first_seen_at >= since,
                ItemRow.story_id.is_not(None),
                ItemRow.id > after,
            )
            .order_by(ItemRow.id)
        )
        with self.session() as session:
            return [StoryCandidate(*row) for row in session.execute(query)]

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
        if channel_id not in queued and (topic is None or topic in item.topics)
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


def _claim_story_keys(
    session: Session, keys: Mapping[int, Sequence[str]], now: datetime, since: datetime
) -> dict[int, int]:
    """Insert each head's keys; returns {head: story} for the heads whose key a story of
    another instance holds (claimed since `since`). Older keys (forgotten stories) are taken
    over, and every key of a head that lost points at the winning story."""
    wanted = {key: head for head, head_keys in keys.items() for key in head_keys}
    if not wanted:
        return {}
    # in key order: two instances inserting overlapping keys wait for each other, never deadlock
    values = [{"key": k, "story_id": wanted[k], "created_at": now} for k in sorted(wanted)]
    statement = insert_ignoring_conflicts(session, StoryKeyRow).returning(StoryKeyRow.key)
    inserted = set(session.scalars(statement, values))
    query = select(StoryKeyRow.key, StoryKeyRow.story_id, StoryKeyRow.created_at)
    held = session.execute(query.where(StoryKeyRow.key.in_(set(wanted) - inserted))).all()
    live = {key: story for key, story, created_at in held if created_at >= since}
    moved: dict[int, int] = {}
    for head, head_keys in keys.items():
        if owners := [live[key] for key in head_keys if key in live]:
            moved[head] = min(owners)
    for key, head in wanted.items():
        if key in live or (key in inserted and head not in moved):
            continue
        session.execute(
            update(StoryKeyRow)
            .where(StoryKeyRow.key == key)
            .values(story_id=moved.get(head, head), created_at=now)
            .execution_options(synchronize_session=False)
        )
    return moved
