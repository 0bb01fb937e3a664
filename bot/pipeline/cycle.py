"""One polling cycle: the recipe, with no business rules of its own."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from bot.analyse import analyze
from bot.analyse.taxonomy import Taxonomy
from bot.fetch import Fetcher
from bot.format import render_post
from bot.models import FetchResult, Item, Post
from bot.notify import AdminNotifier
from bot.parse import parse_feed
from bot.pipeline.schedule import next_check_at
from bot.settings import Config
from bot.storage import Store
from bot.storage.views import FeedState

log = logging.getLogger(__name__)


@dataclass
class CycleReport:
    feeds_checked: int = 0
    feeds_failed: int = 0
    not_modified: int = 0
    new_items: int = 0
    election_items: int = 0
    queued: int = 0
    errors: dict[str, str] = field(default_factory=dict)


class Pipeline:
    def __init__(
        self, config: Config, store: Store, *, taxonomy: Taxonomy, notifier: AdminNotifier
    ) -> None:
        self.config, self.store, self.taxonomy = config, store, taxonomy
        self.notifier = notifier

    async def poll(self, *, every: bool = False, now: datetime | None = None) -> CycleReport:
        """Fetch the due feeds (or all with every=True), store new items, analyse and format
        the postable ones and queue their deliveries."""
        now = now or datetime.now(UTC)
        feeds = await asyncio.to_thread(self.store.due_feeds, now, every=every)
        report = CycleReport(feeds_checked=len(feeds))
        if not feeds:
            return report
        async with Fetcher(self.config.fetch) as fetcher:
            results = await asyncio.gather(
                *(fetcher.fetch(f.url, etag=f.etag, last_modified=f.last_modified) for f in feeds)
            )
        # Parsing and analysis are CPU work: off the event loop, so scheduled jobs stay on time.
        await asyncio.gather(
            *(
                asyncio.to_thread(self._absorb, feed, result, now, report)
                for feed, result in zip(feeds, results, strict=True)
            )
        )
        log.info(
            "poll cycle done feeds=%s failed=%s not_modified=%s new_items=%s election=%s queued=%s",
            report.feeds_checked,
            report.feeds_failed,
            report.not_modified,
            report.new_items,
            report.election_items,
            report.queued,
        )
        return report

    def _absorb(
        self, feed: FeedState, result: FetchResult, now: datetime, report: CycleReport
    ) -> None:
        if result.error or (result.body is None and not result.not_modified):
            self._record_failure(feed, result, now, report, result.error or "empty response")
            return
        if result.not_modified:
            report.not_modified += 1
            self.store.record_not_modified(
                feed.id, now=now, next_check=self._next(feed, result, now)
            )
            return
        assert result.body is not None
        parsed = parse_feed(
            result.body, url=result.final_url or feed.url, content_type=result.content_type
        )
        if parsed.error and not parsed.items:
            self._record_failure(feed, result, now, report, parsed.error)
            return
        new = self.store.add_items(feed.id, parsed.items, now=now, max_age=self.config.max_item_age)
        by_uid = {item.uid: item for item in parsed.items}
        for stored in new:
            if stored.postable:
                self._analyse(
                    stored.id,
                    by_uid[stored.uid],
                    self._source_name(feed, parsed.title),
                    now,
                    report,
                )
        report.new_items += len(new)
        ttl = parsed.ttl_minutes
        self.store.record_success(
            feed.id,
            now=now,
            next_check=self._next(feed, result, now, ttl_minutes=ttl),
            etag=result.etag,
            last_modified=result.last_modified,
            new_items=len(new),
            title=parsed.title,
        )

    def _analyse(
        self, item_id: int, item: Item, source: str, now: datetime, report: CycleReport
    ) -> None:
        analysis = analyze(item.title, item.text, taxonomy=self.taxonomy)

        def render(template: str | None = None) -> Post:
            return render_post(
                title=item.title,
                link=item.link,
                source=source,
                analysis=analysis,
                image=item.image,
                template=template,
            )

        own: dict[str, Post] = {}
        if analysis.is_election:
            templated = [c for c in self.config.channels if c.template]
            own = {str(c.chat_id): render(c.template_text) for c in templated}
        queued = self.store.save_analysis(item_id, analysis, render(), now=now, channel_posts=own)
        report.election_items += analysis.is_election
        report.queued += queued

    def _record_failure(
        self, feed: FeedState, result: FetchResult, now: datetime, report: CycleReport, error: str
    ) -> None:
        report.feeds_failed += 1
        report.errors[feed.url] = error
        next_check = next_check_at(
            now, feed.interval, failures=feed.failures + 1, retry_after=result.retry_after
        )
        failures = self.store.record_failure(feed.id, now=now, next_check=next_check, error=error)
        log.warning(
            "feed failed feed_id=%s url=%s failures=%s error=%s", feed.id, feed.url, failures, error
        )

    @staticmethod
    def _next(
        feed: FeedState, result: FetchResult, now: datetime, ttl_minutes: int | None = None
    ) -> datetime:
        bounds = [b for b in (result.max_age, ttl_minutes * 60 if ttl_minutes else None) if b]
        min_interval = timedelta(seconds=max(bounds)) if bounds else None
        return next_check_at(
            now, feed.interval, min_interval=min_interval, retry_after=result.retry_after
        )

    @staticmethod
    def _source_name(feed: FeedState, title: str | None) -> str:
        return feed.name or title or urlsplit(feed.url).hostname or feed.url
