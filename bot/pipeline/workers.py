"""CPU work off the event loop and across cores: feed parsing, article analysis, page text.

feedparser costs about 13 ms per 100 KB feed and the analysis 2-4 ms per article, all pure
Python: threads would share one core and slow the event loop. :class:`Workers` sends that work
to a small process pool (``parse_workers``, default 2, one per core of a small machine). The
pool starts on first use, so a cycle in which nothing changed never starts it, and workers
come from a "forkserver" (a clean process, not a fork of this one with its threads and
database connections). With ``parse_workers: 0`` the work runs in a thread instead.

A worker that dies (killed for memory, say) breaks the pool: the task that was running gets an
error, and the pool is started again for the next task.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import multiprocessing
import pickle
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from functools import partial
from typing import TypeVar

from bot.analyse.taxonomy import Taxonomy
from bot.models import Analysis, ParsedFeed
from bot.parse.worker import Article, analyse_batch, extract_page_text, parse_feed

log = logging.getLogger(__name__)

T = TypeVar("T")
_PRELOAD = ["bot.parse.worker", "bot.analyse"]  # light: see bot.parse.worker


class WorkerCrashed(RuntimeError):
    """The worker process died while working on the task."""


class Workers:
    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._packed: tuple[Taxonomy, str, bytes] | None = None

    def _executor(self) -> Executor | None:
        if self.processes <= 0:
            return None
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(_PRELOAD)
                self._pool = ProcessPoolExecutor(self.processes, mp_context=context)
                log.info("worker pool started processes=%s", self.processes)
            return self._pool

    async def run(self, func: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        executor = self._executor()
        call = partial(func, *args, **kwargs)
        if executor is None:
            return await asyncio.to_thread(call)
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, call)
        except BrokenProcessPool:
            self._discard(executor)
            raise WorkerCrashed("the worker process died") from None

    async def parse(
        self,
        body: bytes,
        *,
        url: str,
        content_type: str | None,
        text_since: datetime | None = None,
        now: datetime | None = None,
    ) -> ParsedFeed:
        try:
            return await self.run(
                parse_feed,
                body,
                url=url,
                content_type=content_type,
                text_since=text_since,
                now=now,
            )
        except WorkerCrashed as exc:
            return ParsedFeed(title=None, items=(), error=f"parser crashed: {exc}")

    async def analyse(
        self, taxonomy: Taxonomy, articles: Sequence[Article], *, batch: int = 16
    ) -> list[Analysis]:
        """Analyses in input order, the batches spread over the workers."""
        if self._packed is None or self._packed[0] is not taxonomy:
            packed = pickle.dumps(taxonomy)
            self._packed = (taxonomy, hashlib.sha256(packed).hexdigest(), packed)
        _, key, packed = self._packed
        parts = [articles[i : i + batch] for i in range(0, len(articles), batch)]
        done = await asyncio.gather(*(self.run(analyse_batch, key, packed, p) for p in parts))
        return [analysis for part in done for analysis in part]

    async def page_text(self, body: bytes, *, url: str | None) -> str | None:
        try:
            return await self.run(extract_page_text, body, url)
        except WorkerCrashed:
            return None

    def pids(self) -> list[int]:
        """The live worker processes (for measurements)."""
        pool = self._pool
        processes = getattr(pool, "_processes", None) or {}
        return [pid for pid, process in processes.items() if process.is_alive()]

    def _discard(self, broken: Executor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)
        log.error("worker pool broken; a new one starts with the next task")

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


_shared: dict[int, Workers] = {}
_shared_lock = threading.Lock()


def shared_workers(processes: int) -> Workers:
    """One pool per process and size, shared by every pipeline (the CLI, the bot, tests);
    concurrent.futures shuts it down when the interpreter exits."""
    with _shared_lock:
        if processes not in _shared:
            _shared[processes] = Workers(processes)
        return _shared[processes]
