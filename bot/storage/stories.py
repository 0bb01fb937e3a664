"""Stories: which stored items tell the same story, so each story is posted once.

Each postable item records its story (its own id when it is the first of its story), canonical
URL and MinHash signature, for duplicate detection across cycles. Across instances, a story's
identities (story keys) decide which of two instances that find copies at the same moment posts
it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.base import HasSession, insert_ignoring_conflicts, write_session
from bot.storage.retry import retrying
from bot.storage.schema import ItemRow, StoryKeyRow


@dataclass(frozen=True, slots=True)
class StoryCandidate:
    """A recently stored, postable item as the duplicate detector knows it."""

    item_id: int
    story_id: int
    canonical_url: str | None
    minhash: bytes | None


class StoryQueries:
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
            return [
                StoryCandidate(item_id, story_id, canonical_url, minhash)
                for item_id, story_id, canonical_url, minhash in session.execute(query)
                if story_id is not None
            ]


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
