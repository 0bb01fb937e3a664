"""The service's Prometheus metrics, in one registry per application.

The pipeline, the outbox and the Telegram request layer increment these; `/metrics` exposes
them. Each `Metrics()` has its own `CollectorRegistry`, so several in one process (tests)
never collide.
"""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    disable_created_metrics,
    generate_latest,
)

from bot import __version__

disable_created_metrics()  # no *_created series: they double the output and nobody graphs them

FEED_OUTCOMES = ("ok", "not_modified", "unchanged", "failed")
# Why Telegram refused a try of a post or broadcast message (429s are counted apart).
FAILURE_REASONS = ("transient", "rejected", "channel_gone", "migrated", "html_rejected")
_LATENCY_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400)
_CYCLE_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)


class Metrics:
    def __init__(self, database_backend: str = "sqlite") -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        reg = self.registry
        self.feed_checks = Counter(
            "humasbot_feed_checks", "Feed checks by outcome", ["outcome"], registry=reg
        )
        self.items_new = Counter(
            "humasbot_items_new", "Items seen for the first time", registry=reg
        )
        self.election_items = Counter(
            "humasbot_election_items", "New items judged election news", registry=reg
        )
        self.messages_sent = Counter(
            "humasbot_messages_sent",
            "Post and broadcast messages Telegram accepted for a channel or subscriber",
            registry=reg,
        )
        self.send_failures = Counter(
            "humasbot_send_failures",
            "Tries of a post or broadcast message Telegram refused (not 429), by reason",
            ["reason"],
            registry=reg,
        )
        self.retry_after = Counter(
            "humasbot_telegram_retry_after", "429 answers received from the Bot API", registry=reg
        )
        self.outbox_pending = Gauge(
            "humasbot_outbox_pending", "Deliveries waiting or being sent", registry=reg
        )
        self.delivery_latency = Histogram(
            "humasbot_delivery_latency_seconds",
            "From the item being found to Telegram accepting the message",
            buckets=_LATENCY_BUCKETS,
            registry=reg,
        )
        self.poll_cycle = Histogram(
            "humasbot_poll_cycle_seconds",
            "Duration of a poll cycle",
            buckets=_CYCLE_BUCKETS,
            registry=reg,
        )
        self.info = Info("humasbot", "Version and database backend", registry=reg)
        self.info.info({"version": __version__, "database": database_backend})
        for outcome in FEED_OUTCOMES:  # every series exists from the start, at zero
            self.feed_checks.labels(outcome)
        for reason in FAILURE_REASONS:
            self.send_failures.labels(reason)

    def delivered(self, found_at: str | None, now: datetime | None = None) -> None:
        """A post or broadcast message was accepted; `found_at` is the item's ISO time."""
        self.messages_sent.inc()
        if found_at:
            found = datetime.fromisoformat(found_at)
            found = found if found.tzinfo else found.replace(tzinfo=UTC)
            elapsed = ((now or datetime.now(UTC)) - found).total_seconds()
            self.delivery_latency.observe(max(elapsed, 0.0))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
