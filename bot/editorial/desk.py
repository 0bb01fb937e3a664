"""The review desk: shows admins each post waiting for review, and expires the forgotten ones."""

from __future__ import annotations

import asyncio
import html
import logging
from datetime import UTC, datetime

from bot import i18n
from bot.editorial.review import review_buttons
from bot.models import Post
from bot.notify import AdminNotifier
from bot.settings import Config
from bot.storage import Store
from bot.storage.editorial import Review

log = logging.getLogger(__name__)


def why_election(reasons: list[dict[str, object]], limit: int = 4) -> str:
    """The strongest evidence for the election judgement, e.g. "KPU (judul), pemilu (isi)"."""
    where = {"title": "judul", "text": "isi"}
    positive = [r for r in reasons if float(str(r.get("weight", 0))) > 0]
    positive.sort(key=lambda r: float(str(r.get("weight", 0))), reverse=True)
    return ", ".join(
        f"{r['matched']} ({where.get(str(r['where']), r['where'])})" for r in positive[:limit]
    )


class ReviewDesk:
    def __init__(self, config: Config, store: Store, notifier: AdminNotifier) -> None:
        self.config, self.store, self.notifier = config, store, notifier

    async def announce(self) -> int:
        """Send each new review to the admins: what it is and where it would go, then the post
        exactly as it will appear, carrying ✅ Terbitkan / ❌ Tolak."""
        reviews = await asyncio.to_thread(self.store.unannounced_reviews)
        for review in reviews:
            await self.notifier.send(Post(html=self._header(review)))
            shown = await self.notifier.send(
                Post(html=review.html, buttons=review_buttons(review.id))
            )
            if shown or not self.notifier.targets():
                await asyncio.to_thread(self.store.mark_announced, review.id, datetime.now(UTC))
        return len(reviews)

    def _header(self, review: Review) -> str:
        reasons = self.store.item_reasons(review.item_id)
        why = sorted(set(review.reasons.values()))
        return i18n.text(
            "review_new",
            self.config.language,
            id=review.id,
            chats=html.escape(", ".join(review.chat_ids)),
            why=html.escape("; ".join(why)),
            evidence=html.escape(why_election(reasons) or "-"),
        )

    async def expire(self, now: datetime | None = None) -> list[int]:
        now = now or datetime.now(UTC)
        older_than = now - self.config.review.expire_after
        expired = await asyncio.to_thread(self.store.expire_reviews, older_than=older_than, now=now)
        for review_id in expired:
            log.info("review expired review_id=%s", review_id)
        return expired
