"""Full text: when a feed entry carries only a short summary, read the article page.

Only for feeds with ``fulltext: true``, and only for items about to be analysed. The page is
fetched by our own :class:`bot.fetch.Fetcher` (the same timeouts, size cap, redirect limit and
SSRF guard as feeds, and an HTML content type required) and its main text is extracted by
``trafilatura.extract`` in a worker process (trafilatura's own downloader is never used).
Results, failures included, are cached by canonical URL, so a page is read once however many
feeds link to it.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from bot.fetch import Fetcher
from bot.models import Item
from bot.parse import canonical_url
from bot.pipeline.workers import Workers

log = logging.getLogger(__name__)

SHORT_SUMMARY = 400  # characters: below this, and with no content, the page is read
CACHE_SIZE = 2000


def needs_page(item: Item) -> bool:
    return bool(item.link) and not item.content and len(item.summary) < SHORT_SUMMARY


class FullText:
    def __init__(self, workers: Workers, cache_size: int = CACHE_SIZE) -> None:
        self.workers = workers
        self.cache_size = cache_size
        self._cache: OrderedDict[str, str | None] = OrderedDict()

    async def text(self, item: Item, fetcher: Fetcher) -> str | None:
        """The article's main text when it says more than the summary, else None."""
        if not needs_page(item):
            return None
        assert item.link is not None
        key = canonical_url(item.link)
        if key in self._cache:
            self._cache.move_to_end(key)
            found = self._cache[key]
        else:
            found = await self._read(item.link, fetcher)
            self._cache[key] = found
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return found if found and len(found) > len(item.summary) else None

    async def _read(self, url: str, fetcher: Fetcher) -> str | None:
        result = await fetcher.fetch(url, page=True)
        if not result.ok:
            log.info("full_text_unavailable url=%s error=%s", url, result.error)
            return None
        assert result.body is not None
        text = await self.workers.page_text(result.body, url=result.final_url or url)
        log.debug("full_text_read url=%s chars=%s", url, len(text or ""))
        return text
