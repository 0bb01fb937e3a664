"""The review desk: tells admins what waits for review without flooding their chats, pages
through the pending reviews (/tinjau, a later panel), and expires the forgotten ones.

One new review is announced in one message: the post as it will appear, with why it waits, where
it would go (channels by name) and ✅ Terbitkan / ❌ Tolak. Several arriving in one cycle are
announced in one summary ("7 berita menunggu tinjauan") with a button that pages through them.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import i18n
from bot.editorial.review import REVIEW_PREFIX, review_buttons
from bot.format.review import ReviewFacts, review_card, reviews_summary
from bot.models import Post
from bot.notify import AdminNotifier
from bot.services.base import Clock, utc_now
from bot.storage import Store
from bot.storage.editorial import Review
from bot.storage.item_details import ItemDetail, item_detail

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReviewPage:
    """One pending review as a page of the pending list (index from 0, of `count`)."""

    facts: ReviewFacts
    index: int
    count: int

    @property
    def review(self) -> Review:
        return self.facts.review


class ReviewDesk:
    def __init__(
        self,
        store: Store,
        notifier: AdminNotifier,
        *,
        language: str,
        expire_after: timedelta,
        clock: Clock = utc_now,
    ) -> None:
        self.store, self.notifier = store, notifier
        self.language, self.expire_after, self.clock = language, expire_after, clock

    async def announce(self) -> int:
        """Tell the admins about the reviews that arrived since the last call: one message for
        one, one summary for several. Returns how many were new."""
        reviews = await asyncio.to_thread(self.store.unannounced_reviews)
        if not reviews:
            return 0
        language = self.language
        if len(reviews) == 1:
            (review,) = reviews
            card = review_card(await self.facts(review), language)
            post = Post(html=card, buttons=review_buttons(review.id, language))
        else:
            label = i18n.text("button_review_open", language)
            post = Post(html=reviews_summary(reviews, language), buttons=((label, page_data(0)),))
        shown = await self.notifier.send(post)
        if shown or not self.notifier.targets():
            now = self.clock()
            for review in reviews:
                await asyncio.to_thread(self.store.mark_announced, review.id, now)
        return len(reviews)

    async def facts(self, review: Review) -> ReviewFacts:
        channels = await asyncio.to_thread(self.store.channel_list)
        names = {c.chat_id: c.name or c.chat_id for c in channels}
        reasons = await asyncio.to_thread(self.store.item_reasons, review.item_id)
        return ReviewFacts(review, tuple(names.get(c, c) for c in review.chat_ids), tuple(reasons))

    async def item(self, item_id: int) -> ItemDetail | None:
        """An item as a reviewer reads it (the panel's review page): the article's words, why
        it was judged election news, its quotes and speakers."""
        return await asyncio.to_thread(item_detail, self.store, item_id)

    async def page(self, index: int) -> ReviewPage | None:
        """Pending review number `index` (oldest first, clamped); None when none waits."""
        pending = await asyncio.to_thread(self.store.reviews, "pending")
        if not pending:
            return None
        index = min(max(index, 0), len(pending) - 1)
        return ReviewPage(await self.facts(pending[index]), index, len(pending))

    async def expire(self, now: datetime | None = None) -> list[int]:
        now = now or self.clock()
        older_than = now - self.expire_after
        expired = await asyncio.to_thread(self.store.expire_reviews, older_than=older_than, now=now)
        for review_id in expired:
            log.info("review expired review_id=%s", review_id)
        return expired


def page_data(page: int) -> str:
    return f"{REVIEW_PREFIX}:page:{page}"
