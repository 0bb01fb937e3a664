"""The last steps of a cycle for each new story: analyse, render, store, queue.

Stories are analysed in batches in the worker processes; each batch is rendered and stored
(one transaction per batch, in a thread, one batch at a time) as soon as it comes back, while
the workers go on with the next. A story's post names its other sources when
``dedupe.note_sources`` is on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.analyse.taxonomy import Taxonomy
from bot.editorial.plan import ChannelRules, Plan, plan
from bot.editorial.review import ReviewRules
from bot.editorial.routing import ItemFacts
from bot.format import render_post
from bot.models import Analysis, Item, Post
from bot.pipeline.dedupe import Fresh, Story
from bot.pipeline.sources import with_other_sources
from bot.pipeline.workers import Workers
from bot.places import load_gazetteer
from bot.settings import Config
from bot.storage import Store
from bot.storage.items import Analysed

log = logging.getLogger(__name__)

BATCH = 16  # stories analysed per worker task


@dataclass
class Published:
    election_items: int = 0
    queued: int = 0


class Publisher:
    def __init__(self, config: Config, store: Store, taxonomy: Taxonomy, workers: Workers) -> None:
        self.config, self.store, self.taxonomy, self.workers = config, store, taxonomy, workers
        self.review_rules = ReviewRules(
            frozenset(config.review.sources), tuple(config.review.terms)
        )
        self.channel_rules = [
            ChannelRules(str(c.chat_id), c.route(), c.mode) for c in config.channels
        ]
        self.feed_urls: dict[int, str] = {}

    async def publish(
        self, stories: Sequence[Story], texts: Sequence[str | None], now: datetime
    ) -> Published:
        """``texts``: each story's page text (full text), or None to use the feed's text."""
        done = Published()
        saving = asyncio.Lock()
        self.feed_urls = await asyncio.to_thread(self.store.feed_urls)

        async def batch(part: Sequence[Story], part_texts: Sequence[str | None]) -> None:
            articles = [
                (s.head.item.title, text or s.head.item.text, s.head.item.summary)
                for s, text in zip(part, part_texts, strict=True)
            ]
            analyses = await self.workers.analyse(self.taxonomy, articles, batch=len(part))
            async with saving:
                await asyncio.to_thread(self._save, part, analyses, part_texts, now, done)

        await asyncio.gather(
            *(
                batch(stories[i : i + BATCH], texts[i : i + BATCH])
                for i in range(0, len(stories), BATCH)
            )
        )
        return done

    def _save(
        self,
        stories: Sequence[Story],
        analyses: Sequence[Analysis],
        texts: Sequence[str | None],
        now: datetime,
        done: Published,
    ) -> None:
        results = []
        for story, analysis, text in zip(stories, analyses, texts, strict=True):
            try:
                results.append(self._rendered(story, analysis, text))
            except Exception:  # one bad article must not cost the others their posts
                log.exception("post rendering failed item_id=%s", story.head.item_id)
        done.queued += self.store.save_analyses(results, now=now)
        done.election_items += sum(r.analysis.is_election for r in results)

    def _rendered(self, story: Story, analysis: Analysis, text: str | None) -> Analysed:
        head = story.head
        item = replace(head.item, content=text) if text else head.item
        others = story.others if self.config.dedupe.note_sources else []

        def render(template: str | None = None) -> Post:
            post = render_post(
                title=item.title,
                link=item.link,
                source=head.source,
                analysis=analysis,
                image=item.image,
                template=template,
            )
            return with_other_sources(post, [(o.source, o.item.link) for o in others])

        own: dict[str, Post] = {}
        plan = None
        if analysis.is_election:
            templated = [c for c in self.config.channels if c.template]
            own = {str(c.chat_id): render(c.template_text) for c in templated}
            plan = self._plan(head, item, analysis)
        return Analysed(head.item_id, analysis, render(), own, text, plan)

    def _plan(self, head: Fresh, item: Item, analysis: Analysis) -> Plan:
        """Routing and review for each channel (bot.editorial)."""
        body = f"{item.title}\n{item.text}"
        facts = ItemFacts(
            topics=frozenset(analysis.topics),
            regions=load_gazetteer(self.config.places).regions(body),
            score=analysis.score,
            feed_url=self.feed_urls.get(head.feed_id, ""),
            link=item.link,
            text=body,
        )
        return plan(self.channel_rules, facts, self.review_rules, self.config.language)
