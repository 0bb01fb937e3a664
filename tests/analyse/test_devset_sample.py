"""A few real articles from the devset: relevance, every quote and its speaker."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bot.analyse import analyze

DATA = Path(__file__).resolve().parents[1] / "data" / "analyse_devset.jsonl"
ARTICLES = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"^[\W_]+|[\W_]+$", "", text.lower()).split())


@pytest.mark.parametrize("article", ARTICLES, ids=[a["id"] for a in ARTICLES])
def test_devset_article(article: dict[str, Any]) -> None:
    result = analyze(article["title"], article["text"])
    assert result.is_election == article["is_election"], result.reasons
    assert [_norm(q.text) for q in result.quotes] == [_norm(q["text"]) for q in article["quotes"]]
    for quote, label in zip(result.quotes, article["quotes"], strict=True):
        words = re.findall(r"\w+", (quote.speaker or "").lower())
        assert all(w in words for w in label["speaker_name"].lower().split()), quote.speaker


def test_seed_article_speakers_and_lead() -> None:
    seed = next(a for a in ARTICLES if a["id"] == "seed-bakohumas")
    result = analyze(seed["title"], seed["text"])
    assert result.lead == "Pemilu 2024 harus menjadi tanggungjawab semua pihak."
    assert result.quotes[0].speaker == "Sekdaprov Kaltim Sri Wahyuni"
    assert result.quotes[-1].speaker == "Kepala Dinas Kominfo dan Informatika Kaltim HM Faisyal"
    assert result.hashtags[0] == "Pemilu2024"
    assert 1 <= len(result.key_quotes) <= 2
