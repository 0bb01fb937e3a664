"""Parsing and analysis in worker processes: same results, other processes, crashes survived."""

from __future__ import annotations

import asyncio
import os

import pytest

from bot.analyse import analyze, load_taxonomy
from bot.parse import parse_feed
from bot.pipeline.workers import WorkerCrashed, Workers
from tests.pipeline.support import article, entry, feed

NEWS = article("pg-bawaslu-kendal-lsm")
DOCUMENT = feed(
    "Portal A",
    *(entry(f"a-{i}", f"https://a.example/{i}", NEWS["title"], NEWS["text"]) for i in range(5)),
)


async def test_feeds_are_parsed_in_other_processes_with_the_same_result() -> None:
    workers = Workers(2)
    try:
        parsed = await asyncio.gather(
            *(
                workers.parse(DOCUMENT, url="https://a.example/rss", content_type=None)
                for _ in range(4)
            )
        )
        pids = workers.pids()
        assert len(pids) == 2 and os.getpid() not in pids
        assert all(p == parse_feed(DOCUMENT, url="https://a.example/rss") for p in parsed)
        assert len(parsed[0].items) == 5
    finally:
        workers.close()


async def test_analysis_in_workers_keeps_the_order() -> None:
    workers = Workers(2)
    taxonomy = load_taxonomy()
    articles = [(NEWS["title"], NEWS["text"], ""), ("Hujan deras", "Banjir di Cimahi.", "")] * 4
    try:
        found = await workers.analyse(taxonomy, articles, batch=3)
    finally:
        workers.close()
    assert found == [analyze(title, text, taxonomy=taxonomy) for title, text, _ in articles]
    assert [a.is_election for a in found[:2]] == [True, False]


async def test_a_dead_worker_costs_one_task_and_the_pool_comes_back() -> None:
    workers = Workers(1)
    try:
        with pytest.raises(WorkerCrashed):
            await workers.run(os._exit, 3)
        parsed = await workers.parse(DOCUMENT, url="https://a.example/rss", content_type=None)
        assert len(parsed.items) == 5 and parsed.error is None
    finally:
        workers.close()


async def test_no_workers_means_a_thread() -> None:
    workers = Workers(0)
    parsed = await workers.parse(DOCUMENT, url="https://a.example/rss", content_type=None)
    assert len(parsed.items) == 5 and workers.pids() == []


async def test_the_feed_summary_is_the_lead_when_no_sentence_of_the_text_stands_alone() -> None:
    summary = "KPU Kaltim menetapkan jadwal debat publik calon gubernur pada pekan depan."
    text = '"Kami siap," kata Ketua KPU Kaltim Fahmi Idris. Ia juga mengingatkan peserta.'
    workers = Workers(1)
    try:
        [found] = await workers.analyse(load_taxonomy(), [("Debat pilgub", text, summary)])
    finally:
        workers.close()
    assert found.lead == summary
