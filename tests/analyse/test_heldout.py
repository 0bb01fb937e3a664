"""The held-out set (tests/data/analyse_heldout.jsonl): 50 articles written in the styles of
real outlets, labelled like the devset. Floors sit a little below what the rules reach, so a
change that makes the analyser worse on unseen writing fails here."""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pytest

from bot.analyse import analyze
from bot.models import Quote

DATA = Path(__file__).resolve().parents[1] / "data" / "analyse_heldout.jsonl"
ARTICLES = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
HONORIFICS = {"h", "hj", "hm", "dr", "drs", "ir", "prof", "kh", "st", "ust"}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"^[\W_]+|[\W_]+$", "", text.lower()).split())


def _name_words(text: str | None) -> list[str]:
    return [w for w in re.findall(r"\w+", (text or "").lower()) if w not in HONORIFICS]


def _speaker_ok(predicted: str | None, label: str) -> bool:
    have, want = set(_name_words(predicted)), _name_words(label)
    hits = sum(w in have for w in want)
    return hits == len(want) or (len(want) > 2 and hits >= 2)


def _same_name(predicted: str | None, label: str) -> bool:
    """The full name, word for word, honorifics and initials aside."""
    return [w for w in _name_words(predicted) if len(w) > 1] == [
        w for w in _name_words(label) if len(w) > 1
    ]


def _pairs(predicted: tuple[Quote, ...], labels: list[dict[str, Any]]) -> list[tuple[Quote, str]]:
    pairs, used = [], set()
    for label in labels:
        target = _norm(label["text"])
        best, best_ratio = None, 0.9
        for i, quote in enumerate(predicted):
            ratio = SequenceMatcher(None, _norm(quote.text), target).ratio()
            if i not in used and ratio >= best_ratio:
                best, best_ratio = i, ratio
        if best is not None:
            used.add(best)
            pairs.append((predicted[best], label["speaker_name"]))
    return pairs


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    tp = fp = fn = predicted = labelled = matched = speakers = names = 0
    for article in ARTICLES:
        result = analyze(article["title"], article["text"])
        gold = article["is_election"]
        tp += result.is_election and gold
        fp += result.is_election and not gold
        fn += gold and not result.is_election
        pairs = _pairs(result.quotes, article["quotes"])
        predicted += len(result.quotes)
        labelled += len(article["quotes"])
        matched += len(pairs)
        speakers += sum(_speaker_ok(q.speaker, name) for q, name in pairs)
        names += sum(_same_name(q.speaker_name, name) for q, name in pairs)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return {
        "f1": 2 * precision * recall / (precision + recall),
        "quote_precision": matched / predicted,
        "quote_recall": matched / labelled,
        "speaker_accuracy": speakers / matched,
        "speaker_name_accuracy": names / matched,
    }


def test_the_set_is_big_and_mixed() -> None:
    assert len(ARTICLES) >= 40
    assert 15 <= sum(a["is_election"] for a in ARTICLES) <= len(ARTICLES) - 15
    assert sum(len(a["quotes"]) for a in ARTICLES) >= 100


@pytest.mark.parametrize(
    ("figure", "floor"),
    [
        ("f1", 0.95),
        ("quote_precision", 0.97),
        ("quote_recall", 0.97),
        ("speaker_accuracy", 0.95),
        ("speaker_name_accuracy", 0.95),
    ],
)
def test_heldout_figure_stays_above_its_floor(
    figures: dict[str, float], figure: str, floor: float
) -> None:
    assert figures[figure] >= floor, figures
