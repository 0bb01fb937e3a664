"""Which channels take an item: topics, regions, feeds, minimum score, allowed and blocked sources.

Every refusal comes with the reason, in Bahasa Indonesia, for the channel's delivery report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit


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


def refusal(route: Route, item: ItemFacts) -> str | None:
    """None when the channel takes the item, else why not."""
    hosts = {source_host(item.link), source_host(item.feed_url)} - {""}
    if route.block_sources and any(host_in(h, route.block_sources) for h in hosts):
        return "sumber diblokir untuk kanal ini"
    if route.allow_sources and not any(host_in(h, route.allow_sources) for h in hosts):
        return "sumber tidak ada dalam daftar izin kanal ini"
    if route.feeds and item.feed_url not in route.feeds:
        return "umpan tidak termasuk umpan kanal ini"
    if route.topics and not route.topics & item.topics:
        return "topik tidak diambil kanal ini"
    if route.regions and not route.regions & item.regions:
        return "wilayah tidak diambil kanal ini"
    if item.score < route.min_score:
        return f"skor {item.score:.1f} di bawah minimum {route.min_score:.1f}"
    return None
