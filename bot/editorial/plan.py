"""Where a new post goes: for each channel, send now, wait for review, or not at all (routing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.editorial.review import ReviewRules, review_reason
from bot.editorial.routing import ItemFacts, refusal
from bot.settings import ChannelConfig, Config


@dataclass(frozen=True)
class Decision:
    status: Literal["pending", "review", "filtered"]
    reason: str | None = None


@dataclass(frozen=True)
class Plan:
    """Decisions for the configured channels; `default` for every other target (channels added
    by admins, subscribers), which have no routing rules but do follow the forced-review rules."""

    by_chat: dict[str, Decision]
    default: Decision

    def decision(self, chat_id: str) -> Decision:
        return self.by_chat.get(chat_id, self.default)


def review_rules(config: Config) -> ReviewRules:
    return ReviewRules(frozenset(config.review.sources), tuple(config.review.terms))


def decide(channel: ChannelConfig, item: ItemFacts, rules: ReviewRules) -> Decision:
    if reason := refusal(channel.route(), item):
        return Decision("filtered", reason)
    if reason := review_reason(channel.mode, rules, item):
        return Decision("review", reason)
    return Decision("pending")


def plan(channels: Sequence[ChannelConfig], item: ItemFacts, rules: ReviewRules) -> Plan:
    forced = review_reason("auto", rules, item)
    default = Decision("review", forced) if forced else Decision("pending")
    return Plan({str(c.chat_id): decide(c, item, rules) for c in channels}, default)
