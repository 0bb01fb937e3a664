"""A review as admins read it (the announcement, /tinjau, a later panel): why it waits, where it
would go, the evidence for the election judgement, then the post exactly as it will appear."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot import i18n
from bot.format.listing import NAME_CHARS, TITLE_CHARS, field
from bot.storage.editorial import Review

MAX_TEXT = 4096
SUMMARY_TITLES = 5  # titles named in a summary; the pager shows them all
EVIDENCE_LIMIT = 4


@dataclass(frozen=True)
class ReviewFacts:
    """A review with what its card shows: its chats by name and the analysis's reasons."""

    review: Review
    chat_names: tuple[str, ...]
    reasons: tuple[dict[str, object], ...]


def why_election(
    reasons: Sequence[dict[str, object]], language: str, limit: int = EVIDENCE_LIMIT
) -> str:
    """The strongest evidence for the election judgement, e.g. "KPU (judul), pemilu (isi)"."""
    positive = [r for r in reasons if float(str(r.get("weight", 0))) > 0]
    positive.sort(key=lambda r: float(str(r.get("weight", 0))), reverse=True)
    return ", ".join(f"{r['matched']} ({_where(r['where'], language)})" for r in positive[:limit])


def _where(where: object, language: str) -> str:
    if where in ("title", "text"):
        return i18n.text(f"evidence_in_{where}", language)
    return str(where)


def review_card(facts: ReviewFacts, language: str, room: int = MAX_TEXT) -> str:
    """The review's facts, then the post as it will appear (when it fits in `room`)."""
    review = facts.review
    chats = ", ".join(field(name, NAME_CHARS) for name in facts.chat_names)
    why = sorted(set(review.reasons.values()))
    header = i18n.text(
        "review_entry",
        language,
        id=review.id,
        item=review.item_id,
        title=field(review.title, TITLE_CHARS),
        chats=chats or "-",
        why=field("; ".join(why), 300) or "-",
        evidence=field(why_election(facts.reasons, language), 300) or "-",
    )
    full = f"{header}\n\n{review.html}"
    return full if len(full) <= room else header


def reviews_summary(reviews: Sequence[Review], language: str) -> str:
    """Several new reviews in one message: how many, and the first titles."""
    titles = [f"• #{r.id} {field(r.title, TITLE_CHARS)}" for r in reviews[:SUMMARY_TITLES]]
    if len(reviews) > SUMMARY_TITLES:
        titles.append(i18n.text("digest_more", language, count=len(reviews) - SUMMARY_TITLES))
    return i18n.text("reviews_summary", language, count=len(reviews), lines="\n".join(titles))


def review_page(facts: ReviewFacts, index: int, count: int, language: str) -> str:
    """Pending review number `index` (from 0) of `count`, as one page of /tinjau."""
    head = i18n.text("reviews_page_head", language, count=count, page=index + 1)
    return f"{head}\n\n{review_card(facts, language, room=MAX_TEXT - len(head) - 2)}"
