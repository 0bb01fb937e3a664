"""The speaker sets (tests/data/analyse_speakers*.jsonl): new articles, five or more for each
kind of miss seen on real articles (a role for the person, a title eaten into the name, a place
taken as the speaker, a run across a sentence end, a short form, a ruling read out). The first
set was tuned on; the fresh set was written afterwards and first measured untouched, then its
misses were fixed; the unseen set was written last. Floors sit at the issue's target."""

from __future__ import annotations

import json
import re
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pytest

from bot.analyse import analyze

DATA = Path(__file__).resolve().parents[1] / "data"
SETS = ["analyse_speakers.jsonl", "analyse_speakers_fresh.jsonl"]
UNSEEN = "analyse_speakers_unseen.jsonl"  # three a kind, written last, measured once
KINDS = {"role", "title", "place", "boundary", "short", "ruling"}
HONORIFICS = {"h", "hj", "hm", "dr", "drs", "dra", "ir", "prof", "kh", "st", "ust", "pak", "bu"}


def _articles(name: str) -> list[dict[str, Any]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _key(name: str | None) -> list[str]:
    words = re.findall(r"\w+(?:['’]\w+)*", (name or "").lower().replace("’", "'"))
    return [w for w in words if w not in HONORIFICS and len(w) > 1]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"^[\W_]+|[\W_]+$", "", text.lower()).split())


def _accuracy(articles: list[dict[str, Any]]) -> tuple[float, list[str]]:
    hits, total, misses = 0, 0, []
    for article in articles:
        quotes = list(analyze(article["title"], article["text"]).quotes)
        for label in article["quotes"]:
            found = next(
                (
                    q
                    for q in quotes
                    if SequenceMatcher(None, _norm(q.text), _norm(label["text"])).ratio() >= 0.9
                ),
                None,
            )
            total += 1
            if found is not None and _key(found.speaker_name) == _key(label["speaker_name"]):
                hits += 1
            else:
                got = found.speaker_name if found else "no quote"
                misses.append(f"{article['id']}: {got!r} != {label['speaker_name']!r}")
    return hits / total, misses


@pytest.mark.parametrize("name", SETS)
def test_each_kind_has_five_articles_at_least(name: str) -> None:
    kinds = Counter(a["kind"] for a in _articles(name))
    assert set(kinds) == KINDS
    assert min(kinds.values()) >= 5


@pytest.mark.parametrize("name", [*SETS, UNSEEN])
def test_speaker_names_reach_the_target(name: str) -> None:
    accuracy, misses = _accuracy(_articles(name))
    assert accuracy >= 0.95, misses
