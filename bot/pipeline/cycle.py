"""One polling cycle: the recipe, with no business rules of its own.

1. Every due feed is checked at once (the fetcher bounds requests overall and per host). A
   check ends early when the server says 304 or sends the very body parsed last time (its
   SHA-256 is stored); otherwise the body is parsed in a worker process and the items not seen
   before are stored. Old and already-seen items stop there. At most ``2 x max_concurrency``
   bodies are held at once, so fast servers cannot outrun the parsers and fill memory.
2. What each check found (validators, body hash, RSS ttl, errors, permanent redirects, 410
   Gone) is written back in one transaction.
3. The new postable items are grouped into stories (:mod:`bot.pipeline.dedupe`); only each
   story's head goes on, with its page text read when its feed asks for full text.
4. The heads are analysed in worker processes, rendered, and queued for every channel, the
   post naming the story's other sources.

One feed's failure, slowness or garbage only ever affects that feed's own check.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from bot.analyse.taxonomy import Taxonomy
from bot.deliver.claims import new_worker_token
from bot.fetch import Fetcher
from bot.fetch.health import FeedCheck
from bot.http.metrics import Metrics
from bot.models import FetchResult
from bot.notify import AdminNotifier
from bot.pipeline.dedupe import Fresh, Story, StoryIndex
from bot.pipeline.fulltext import FullText
from bot.pipeline.publish import Publisher
from bot.pipeline.schedule import next_check_at
from bot.pipeline.workers import Workers, shared_workers
from bot.settings import Config
from bot.storage import Store
from bot.storage.feeds import FeedState

log = logging.getLogger(__name__)


@dataclass
class CycleReport:
    feeds_checked: int = 0
    feeds_failed: int = 0
    not_modified: int = 0  # 304
    unchanged: int = 0  # 200 with the same body as last time: not parsed
    parsed: int = 0
    new_items: int = 0
    postable: int = 0
    duplicates: int = 0
    full_text: int = 0
    election_items: int = 0
    queued: int = 0
    moved: int = 0
    gone: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase


class _Stopwatch:
    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name], self.last = round(now - self.last, 3), now

    def __str__(self) -> str:
        return " ".join(f"{name}_s={seconds}" for name, seconds in self.laps.items())


@dataclass
class _Checked:
    feed: FeedState
    check: FeedCheck
    fresh: list[Fresh] = field(default_factory=list)


class Pipeline:
    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        taxonomy: Taxonomy,
        notifier: AdminNotifier,
        workers: Workers | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.config, self.store, self.taxonomy = config, store, taxonomy
        self.notifier = notifier
        self.metrics = metrics or Metrics()
        self.workers = workers or shared_workers(config.parse_workers)
        self.stories = StoryIndex(store, config.dedupe)
        self.full_text = FullText(self.workers)
        self.publisher = Publisher(config, store, taxonomy, self.workers)
        self.holder = new_worker_token()  # who claims feeds, among instances sharing a database

    async def poll(self, *, every: bool = False, now: datetime | None = None) -> CycleReport:
        """Fetch the due feeds (or all with every=True), store new items, analyse and format
        the postable ones and queue their deliveries."""
        with self.metrics.poll_cycle.time():
            report = await self._poll(every, now or datetime.now(UTC))
        self.metrics.items_new.inc(report.new_items)
        self.metrics.election_items.inc(report.election_items)
        return report

    async def _poll(self, every: bool, now: datetime) -> CycleReport:
        lease = self.config.instances.feed_lease
        feeds = await asyncio.to_thread(
            self.store.claim_feeds, self.holder, now=now, lease=lease, every=every
        )
        report = CycleReport(feeds_checked=len(feeds))
        if not feeds:
            return report
        heartbeat = asyncio.create_task(self._renew_claims())
        try:
            await self._cycle(feeds, now, report)
        finally:
            heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)
            # the claims of checks a failure cut short (recorded ones are released already)
            await asyncio.to_thread(self.store.release_feed_claims, self.holder)
        return report

    async def _renew_claims(self) -> None:
        """While a cycle runs, its feeds stay claimed; another instance takes them over only when
        this one stops renewing (it died)."""
        lease = self.config.instances.feed_lease
        while True:
            await asyncio.sleep(lease.total_seconds() / 3)
            now = datetime.now(UTC)
            await asyncio.to_thread(self.store.renew_feed_claims, self.holder, now=now, lease=lease)

    async def _cycle(self, feeds: list[FeedState], now: datetime, report: CycleReport) -> None:
        clock = _Stopwatch()
        async with Fetcher(self.config.fetch) as fetcher:
            backlog = asyncio.Semaphore(2 * self.config.fetch.max_concurrency)
            checked = await asyncio.gather(
                *(self._check(feed, fetcher, backlog, now, report) for feed in feeds)
            )
            checks = [c.check for c in checked]
            await asyncio.to_thread(self.store.record_checks, checks, now=now)
            clock.lap("check")
            fresh = [f for c in checked for f in c.fresh]
            report.postable = len(fresh)
            stories, report.duplicates = await asyncio.to_thread(self.stories.group, fresh, now)
            clock.lap("stories")
            texts = await asyncio.gather(*(self._page_text(s, fetcher) for s in stories))
            clock.lap("full_text")
        report.full_text = sum(text is not None for text in texts)
        published = await self.publisher.publish(stories, texts, now)
        report.election_items, report.queued = published.election_items, published.queued
        clock.lap("publish")
        await self._tell_admins([c for c in checked if c.check.outcome == "gone"])
        report.timings = clock.laps
        log.info("poll cycle timings %s", clock)
        log.info(
            "poll cycle done feeds=%s failed=%s not_modified=%s unchanged=%s parsed=%s "
            "new_items=%s duplicates=%s election=%s queued=%s",
            report.feeds_checked,
            report.feeds_failed,
            report.not_modified,
            report.unchanged,
            report.parsed,
            report.new_items,
            report.duplicates,
            report.election_items,
            report.queued,
        )

    async def _check(
        self,
        feed: FeedState,
        fetcher: Fetcher,
        backlog: asyncio.Semaphore,
        now: datetime,
        report: CycleReport,
    ) -> _Checked:
        result: FetchResult | None = None
        try:
            async with backlog:
                result = await fetcher.fetch(
                    feed.url, etag=feed.etag, last_modified=feed.last_modified
                )
                checked = await self._absorb(feed, result, now, report)
        except Exception as exc:  # a bug or a database error must not stop the other feeds
            log.exception("feed check crashed feed_id=%s url=%s", feed.id, feed.url)
            checked = self._failed(feed, None, now, report, f"internal error: {exc!r}")
        self.metrics.feed_checks.labels(_outcome_label(checked.check.outcome, result)).inc()
        if checked.check.moved_to:
            report.moved += 1
            log.info(
                "feed moved feed_id=%s from=%s to=%s", feed.id, feed.url, checked.check.moved_to
            )
        return checked

    async def _absorb(
        self, feed: FeedState, result: FetchResult, now: datetime, report: CycleReport
    ) -> _Checked:
        if result.status == 410:
            report.gone += 1
            report.errors[feed.url] = "410 Gone"
            log.warning("feed gone feed_id=%s url=%s", feed.id, feed.url)
            return _Checked(feed, FeedCheck(feed.id, "gone", now, error="HTTP 410 Gone"))
        if result.error or (result.body is None and not result.not_modified):
            return self._failed(feed, result, now, report, result.error or "empty response")
        digest = hashlib.sha256(result.body).hexdigest() if result.body is not None else None
        if result.not_modified or digest == feed.body_hash:
            report.not_modified += result.not_modified
            report.unchanged += not result.not_modified
            if feed.body_hash and feed.failures and feed.last_error:  # the same unusable body
                return self._failed(feed, result, now, report, feed.last_error, feed.body_hash)
            return _Checked(feed, self._unchanged(feed, result, now))
        assert result.body is not None
        parsed = await self.workers.parse(
            result.body,
            url=result.final_url or feed.url,
            content_type=result.content_type,
            text_since=now - self.config.max_item_age,  # older items are never posted
            now=now,  # dates in the future are corrected against it
        )
        report.parsed += 1
        if parsed.error and not parsed.items:
            return self._failed(feed, result, now, report, parsed.error, digest)
        new = await asyncio.to_thread(
            self.store.add_items, feed.id, parsed.items, now=now, max_age=self.config.max_item_age
        )
        report.new_items += len(new)
        by_uid = {item.uid: item for item in parsed.items}
        source = self._source_name(feed, parsed.title)
        pages = feed.fulltext or parsed.needs_pages  # a sitemap's items are only addresses
        fresh = [Fresh(n.id, by_uid[n.uid], feed.id, source, pages) for n in new if n.postable]
        ttl = parsed.ttl_minutes * 60 if parsed.ttl_minutes else None
        check = FeedCheck(
            feed.id,
            "ok",
            self._next(feed, result, now, ttl),
            etag=result.etag,
            last_modified=result.last_modified,
            body_hash=digest,
            ttl_seconds=ttl,
            new_items=len(new),
            title=parsed.title,
            moved_to=result.permanent_redirect,
        )
        return _Checked(feed, check, fresh)

    def _unchanged(self, feed: FeedState, result: FetchResult, now: datetime) -> FeedCheck:
        return FeedCheck(
            feed.id,
            "unchanged",
            self._next(feed, result, now, feed.ttl_seconds),
            etag=result.etag,
            last_modified=result.last_modified,
            moved_to=result.permanent_redirect,
        )

    def _failed(
        self,
        feed: FeedState,
        result: FetchResult | None,
        now: datetime,
        report: CycleReport,
        error: str,
        body_hash: str | None = None,
    ) -> _Checked:
        report.feeds_failed += 1
        report.errors[feed.url] = error
        retry_after = result.retry_after if result else None
        failures = feed.failures + 1
        next_check = next_check_at(now, feed.interval, failures=failures, retry_after=retry_after)
        log.warning(
            "feed failed feed_id=%s url=%s failures=%s error=%s", feed.id, feed.url, failures, error
        )
        check = FeedCheck(feed.id, "failed", next_check, error=error, body_hash=body_hash)
        if body_hash and result:  # the body was the problem: a 304 to these means the same
            check = replace(check, etag=result.etag, last_modified=result.last_modified)
        return _Checked(feed, check)

    async def _page_text(self, story: Story, fetcher: Fetcher) -> str | None:
        if not story.head.full_text:
            return None
        return await self.full_text.text(story.head.item, fetcher)

    async def _tell_admins(self, gone: Sequence[_Checked]) -> None:
        for checked in gone:
            feed = checked.feed
            await self.notifier.notify(
                "admin_feed_gone", url=feed.url, name=feed.name or urlsplit(feed.url).hostname
            )

    @staticmethod
    def _next(
        feed: FeedState, result: FetchResult, now: datetime, ttl_seconds: int | None
    ) -> datetime:
        bounds = [b for b in (result.max_age, ttl_seconds) if b]
        min_interval = timedelta(seconds=max(bounds)) if bounds else None
        return next_check_at(
            now, feed.interval, min_interval=min_interval, retry_after=result.retry_after
        )

    @staticmethod
    def _source_name(feed: FeedState, title: str | None) -> str:
        return feed.name or title or urlsplit(feed.url).hostname or feed.url


def _outcome_label(outcome: str, result: FetchResult | None) -> str:
    """The metric's outcome: ok, not_modified (304), unchanged (same body), failed (410 too)."""
    if outcome == "unchanged" and result is not None and result.not_modified:
        return "not_modified"
    return "failed" if outcome == "gone" else outcome
