"""The issue-14 sets (tests/data/analyse_issue14_*.jsonl), scored as bench/eval_content.py
scores them. The three tuning sets were written before the rules were changed for them and then
tuned on; the held-out set was written with them, before any rule change, and measured once at
the end (speaker names 0.9677: one miss, "Habib" kept in a name, fixed afterwards). Floors sit at
the issue's targets: speaker names 0.95, relevance F1 and quote precision and recall 0.97, and
every lead of an election article stands alone."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
TUNED = ["analyse_issue14_tune.jsonl", "analyse_issue14_tune2.jsonl", "analyse_issue14_tune3.jsonl"]
HELD_OUT = ["analyse_issue14_heldout.jsonl"]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "eval_content", ROOT / "bench" / "eval_content.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _bench()


def _articles(names: list[str]) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for name in names
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _report(names: list[str]) -> dict[str, Any]:
    articles = _articles(names)
    rows, _ = BENCH.run_in_process(articles)
    report: dict[str, Any] = BENCH.score(articles, rows)
    return report


@pytest.fixture(scope="module", params=["tuned", "held-out"])
def figures(request: pytest.FixtureRequest) -> dict[str, Any]:
    return _report(TUNED if request.param == "tuned" else HELD_OUT)


def test_the_tuning_sets_cover_every_kind_of_miss() -> None:
    articles = _articles(TUNED)
    kinds = {a["kind"] for a in articles}
    assert {"role", "title", "place", "boundary", "short", "ruling", "office", "women"} <= kinds
    assert sum(not a["is_election"] for a in articles) >= 10
    assert sum(len(a["quotes"]) for a in articles) >= 100


@pytest.mark.parametrize(
    ("figure", "floor"),
    [
        (("relevance", "f1"), 0.97),
        (("quotes", "precision"), 0.97),
        (("quotes", "recall"), 0.97),
        (("speaker_accuracy",), 0.95),
    ],
)
def test_each_set_stays_at_the_target(
    figures: dict[str, Any], figure: tuple[str, ...], floor: float
) -> None:
    value: Any = figures
    for key in figure:
        value = value[key]
    assert value >= floor, figures["errors"]


def test_every_lead_of_each_set_stands_alone(figures: dict[str, Any]) -> None:
    assert figures["lead"]["without_lead"] == []
    assert figures["lead"]["problems"] == []


@pytest.mark.parametrize(
    ("lead", "problem"),
    [
        ("Teradu II Idham Holik.", "fewer than six words"),
        ("Ia juga mengingatkan KPU agar memperbaiki data pemilih.", "opens with 'Ia'"),
        ("Ini sikap yang bijak,” kata Khozin kepada wartawan.", "part of a quote"),
    ],
)
def test_the_lead_check_finds_each_kind_of_bad_lead(lead: str, problem: str) -> None:
    assert problem in BENCH.lead_problems(lead, [])
