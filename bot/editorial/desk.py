"""The review desk: tells admins what waits for review without flooding their chats, renders a
review for any reader (announcement, /tinjau, a later panel), and expires the forgotten ones.

One new review is announced in one message: the post as it will appear, with why it waits, where
it would go (channels by name) and ✅ Terbitkan / ❌ Tolak. Several arriving in one cycle are
announced in one summary ("7 berita menunggu tinjauan") with a button that pages through them.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from bot import i18n
from bot.editorial.review import REVIEW_PREFIX, review_buttons
from bot.format.listing import NAME_CHARS, TITLE_CHARS, field
from bot.models import Post
from bot.notify import AdminNotifier
from bot.settings import Config
from bot.storage import Store
from bot.storage.editorial import Review

log = logging.getLogger(__name__)

MAX_TEXT = 4096
SUMMARY_TITLES = 5  # titles named in a summary; the pager shows them all
EVIDENCE_LIMIT = 4


def why_election(reasons: list[dict[str, object]], limit: int = EVIDENCE_LIMIT) -> str:
    """The strongest evidence for the election judgement, e.g. "KPU (judul), pemilu (isi)"."""
    where = {"title": "judul", "text": "isi"}
    positive = [r for r in reasons if float(str(r.get("weight", 0))) > 0]
    positive.sort(key=lambda r: float(str(r.get("weight", 0))), reverse=True)
    return ", ".join(
        f"{r['matched']} ({where.get(str(r['where']), r['where'])})" for r in positive[:limit]
    )


def page_data(page: int) -> str:
    return f"{REVIEW_PREFIX}:page:{page}"


@dataclass(frozen=True)
class ReviewPage:
    """One pending review as a page of the pending list (index from 0, of `count`)."""

    review: Review
    index: int
    count: int
    text: str


class ReviewDesk:
    def __init__(self, config: Config, store: Store, notifier: AdminNotifier) -> None:
        self.config, self.store, self.notifier = config, store, notifier

    async def announce(self) -> int:
        """Tell the admins about the reviews that arrived since the last call: one message for
        one, one summary for several. Returns how many were new."""
        reviews = await asyncio.to_thread(self.store.unannounced_reviews)
        if not reviews:
            return 0
        language = self.config.language
        if len(reviews) == 1:
            (review,) = reviews
            post = Post(html=await self.card(review, language), buttons=review_buttons(review.id))
        else:
            post = Post(
                html=self.summary(reviews, language),
                buttons=((i18n.text("button_review_open", language), page_data(0)),),
            )
        shown = await self.notifier.send(post)
        if shown or not self.notifier.targets():
            now = datetime.now(UTC)
            for review in reviews:
                await asyncio.to_thread(self.store.mark_announced, review.id, now)
        return len(reviews)

    def summary(self, reviews: list[Review], language: str) -> str:
        titles = [f"• #{r.id} {field(r.title, TITLE_CHARS)}" for r in reviews[:SUMMARY_TITLES]]
        if len(reviews) > SUMMARY_TITLES:
            titles.append(i18n.text("digest_more", language, count=len(reviews) - SUMMARY_TITLES))
        return i18n.text("reviews_summary", language, count=len(reviews), lines="\n".join(titles))

    async def card(self, review: Review, language: str, room: int = MAX_TEXT) -> str:
        """The review's facts, then the post exactly as it will appear (when it fits in
        `room` characters)."""
        names = {
            c.chat_id: c.name or c.chat_id for c in await asyncio.to_thread(self.store.channel_list)
        }
        reasons = await asyncio.to_thread(self.store.item_reasons, review.item_id)
        chats = ", ".join(field(names.get(c, c), NAME_CHARS) for c in review.chat_ids)
        why = sorted(set(review.reasons.values()))
        header = i18n.text(
            "review_entry",
            language,
            id=review.id,
            item=review.item_id,
            title=field(review.title, TITLE_CHARS),
            chats=chats or "-",
            why=field("; ".join(why), 300) or "-",
            evidence=field(why_election(reasons), 300) or "-",
        )
        full = f"{header}\n\n{review.html}"
        return full if len(full) <= room else header

    async def page(self, index: int, language: str) -> ReviewPage | None:
        """Pending review number `index` (oldest first, clamped); None when none waits."""
        pending = await asyncio.to_thread(self.store.reviews, "pending")
        if not pending:
            return None
        index = min(max(index, 0), len(pending) - 1)
        review = pending[index]
        head = i18n.text("reviews_page_head", language, count=len(pending), page=index + 1)
        card = await self.card(review, language, room=MAX_TEXT - len(head) - 2)
        return ReviewPage(review, index, len(pending), f"{head}\n\n{card}")

    async def expire(self, now: datetime | None = None) -> list[int]:
        now = now or datetime.now(UTC)
        older_than = now - self.config.review.expire_after
        expired = await asyncio.to_thread(self.store.expire_reviews, older_than=older_than, now=now)
        for review_id in expired:
            log.info("review expired review_id=%s", review_id)
        return expired
