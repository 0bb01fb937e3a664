"""When a post needs a human's yes before it goes out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot import i18n
from bot.editorial.routing import ItemFacts, host_in, source_host


@dataclass(frozen=True)
class ReviewRules:
    """Force review even in auto mode: items from these sources, or naming these terms."""

    sources: frozenset[str] = field(default_factory=frozenset)
    terms: tuple[str, ...] = ()

    def pattern(self) -> re.Pattern[str] | None:
        if not self.terms:
            return None
        return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, self.terms)) + r")(?!\w)", re.I)


def review_reason(
    mode: str, rules: ReviewRules, item: ItemFacts, language: str = i18n.DEFAULT_LANGUAGE
) -> str | None:
    """None when the post may go out at once; else why it waits for review."""
    if mode == "review":
        return i18n.text("review_reason_mode", language)
    hosts = {source_host(item.link), source_host(item.feed_url)} - {""}
    if rules.sources and any(host_in(h, rules.sources) for h in hosts):
        return i18n.text("review_reason_source", language)
    pattern = rules.pattern()
    if pattern and (match := pattern.search(item.text)):
        return i18n.text("review_reason_term", language, term=repr(match.group(0)))
    return None


def channels_needing_review(
    modes: Iterable[tuple[str, str]],
    rules: ReviewRules,
    item: ItemFacts,
    language: str = i18n.DEFAULT_LANGUAGE,
) -> dict[str, str]:
    """For (chat_id, mode) pairs: which chats must wait for review, with the reason."""
    reasons = {}
    for chat_id, mode in modes:
        if reason := review_reason(mode, rules, item, language):
            reasons[chat_id] = reason
    return reasons


# Callback data of the review keyboard: "rv:pub:<review id>" publishes, "rv:rej:<id>" rejects.
REVIEW_PREFIX = "rv"


def review_buttons(review_id: int, language: str) -> tuple[tuple[str, str], ...]:
    return (
        (i18n.text("button_publish", language), f"{REVIEW_PREFIX}:pub:{review_id}"),
        (i18n.text("button_reject", language), f"{REVIEW_PREFIX}:rej:{review_id}"),
    )
