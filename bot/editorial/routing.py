"""Which channels take an item: topics, regions, feeds, minimum score, allowed and blocked sources.

Every refusal comes with the reason (the catalogue's words, Bahasa Indonesia unless asked
otherwise), for the channel's delivery report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot import i18n


@dataclass(frozen=True)
class ItemFacts:
    """What routing needs to know of an analysed item."""

    topics: frozenset[str]
    regions: frozenset[str]
    score: float
    feed_url: str
    link: str | None = None
    text: str = ""  # title and body, for force-review terms


@dataclass(frozen=True)
class Route:
    """One channel's routing rules; empty means no restriction."""

    topics: frozenset[str] = field(default_factory=frozenset)
    regions: frozenset[str] = field(default_factory=frozenset)
    feeds: frozenset[str] = field(default_factory=frozenset)
    min_score: float = 0.0
    allow_sources: frozenset[str] = field(default_factory=frozenset)
    block_sources: frozenset[str] = field(default_factory=frozenset)


def source_host(url: str | None) -> str:
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.")


def host_in(host: str, domains: frozenset[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def refusal(route: Route, item: ItemFacts, language: str = i18n.DEFAULT_LANGUAGE) -> str | None:
    """None when the channel takes the item, else why not."""
    hosts = {source_host(item.link), source_host(item.feed_url)} - {""}
    key = None
    if route.block_sources and any(host_in(h, route.block_sources) for h in hosts):
        key = "route_blocked_source"
    elif route.allow_sources and not any(host_in(h, route.allow_sources) for h in hosts):
        key = "route_source_not_allowed"
    elif route.feeds and item.feed_url not in route.feeds:
        key = "route_other_feed"
    elif route.topics and not route.topics & item.topics:
        key = "route_other_topic"
    elif route.regions and not route.regions & item.regions:
        key = "route_other_region"
    elif item.score < route.min_score:
        score, minimum = f"{item.score:.1f}", f"{route.min_score:.1f}"
        return i18n.text("route_low_score", language, score=score, minimum=minimum)
    return i18n.text(key, language) if key else None
