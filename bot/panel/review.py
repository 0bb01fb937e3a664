"""Tinjauan: each post waiting for review, with the article, why it was judged election news
(its terms marked in the text), its quotes and speakers, the post as Telegram will show it and
the channels it would go to; ✅ Terbitkan and ❌ Tolak (the editorial service's decision, as the
bot's buttons)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import Response

from bot.format.review import why_election
from bot.panel.desk import panel_actor
from bot.panel.web import Page
from bot.services.editorial import Decided
from bot.storage.editorial import Review
from bot.storage.item_details import ItemDetail

SHOWN = 20  # reviews on one page, oldest first


@dataclass(frozen=True)
class ReviewView:
    review: Review
    item: ItemDetail | None
    terms: list[str]
    why: str
    channels: list[tuple[str, str]]  # (chat id, name)
    reasons: list[tuple[str, str]]  # (channel name, why it waits for review)


def terms(reasons: tuple[dict[str, object], ...] | list[dict[str, object]]) -> list[str]:
    """The words that counted for the judgement (positive weight), each once."""
    found = [
        str(r["matched"])
        for r in reasons
        if r.get("matched") and float(str(r.get("weight", 0))) > 0
    ]
    return list(dict.fromkeys(found))


async def review_queue(page: Page) -> Response:
    services = page.desk.services
    waiting = await services.editorial.pending_reviews()
    names = await services.channels.names()
    views = []
    for review in waiting[:SHOWN]:
        item = await services.reviews.item(review.item_id)
        reasons = list(item.reasons) if item else []
        views.append(
            ReviewView(
                review,
                item,
                terms(reasons),
                why_election(reasons, page.lang),
                [(chat, names.get(chat, chat)) for chat in review.chat_ids],
                [(names.get(chat, chat), why) for chat, why in review.reasons.items()],
            )
        )
    return page.render(
        "review.html",
        views=views,
        count=len(waiting),
        done=page.request.query_params.get("selesai", ""),
        done_id=page.request.query_params.get("id", ""),
    )


async def decide(page: Page) -> Response:
    """POST /panel/tinjauan/{id}: keputusan=terbitkan|tolak."""
    review_id = int(page.request.path_params["review_id"])
    verb = page.form.get("keputusan", "")
    if verb not in ("terbitkan", "tolak"):
        return page.go("/panel/tinjauan")
    decided = await page.desk.services.editorial.decide(
        review_id, verb == "terbitkan", panel_actor(page.session)
    )
    if isinstance(decided, Decided):
        outcome = "published" if decided.published else "rejected"
    else:
        outcome = "already"
    return page.go("/panel/tinjauan", selesai=outcome, id=review_id)
