"""Where a new post goes: for each channel, send now, wait for review, or not at all (routing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot import i18n
from bot.editorial.review import ReviewRules, review_reason
from bot.editorial.routing import ItemFacts, Route, refusal


@dataclass(frozen=True)
class Decision:
    status: Literal["pending", "review", "filtered"]
    reason: str | None = None


@dataclass(frozen=True)
class ChannelRules:
    """One configured channel's rules: what it takes, and whether an admin approves each post."""

    chat_id: str
    route: Route
    mode: str = "auto"  # auto | review


@dataclass(frozen=True)
class Plan:
    """Decisions for the configured channels; `default` for every other target (channels added
    by admins, subscribers), which have no routing rules but do follow the forced-review rules."""

    by_chat: dict[str, Decision]
    default: Decision

    def decision(self, chat_id: str) -> Decision:
        return self.by_chat.get(chat_id, self.default)


def decide(channel: ChannelRules, item: ItemFacts, rules: ReviewRules, language: str) -> Decision:
    if reason := refusal(channel.route, item, language):
        return Decision("filtered", reason)
    if reason := review_reason(channel.mode, rules, item, language):
        return Decision("review", reason)
    return Decision("pending")


def plan(
    channels: Sequence[ChannelRules],
    item: ItemFacts,
    rules: ReviewRules,
    language: str = i18n.DEFAULT_LANGUAGE,
) -> Plan:
    """`language`: the words of the reasons, kept with the deliveries and reviews."""
    forced = review_reason("auto", rules, item, language)
    default = Decision("review", forced) if forced else Decision("pending")
    return Plan({c.chat_id: decide(c, item, rules, language) for c in channels}, default)
