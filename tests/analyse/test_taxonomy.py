"""Loading and validating the taxonomy."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.analyse import analyze, load_taxonomy
from bot.analyse.taxonomy import TaxonomyError, parse_taxonomy

MINIMAL = """
threshold: 2.0
topics:
  pemilu: {label: Pemilu, hashtag: Pemilu, year_hashtag: true}
terms:
  - {term: pemilu, topic: pemilu, kind: event, weight: 3.0, forms: [pemilu]}
"""


def test_packaged_taxonomy_loads_and_is_cached() -> None:
    assert load_taxonomy() is load_taxonomy()
    assert load_taxonomy().threshold > 0


def test_config_copy_matches_the_packaged_taxonomy() -> None:
    root = Path(__file__).resolve().parents[2]
    assert load_taxonomy(str(root / "config" / "taxonomy.yaml")) == load_taxonomy()


def test_override_path_is_used(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    taxonomy = load_taxonomy(str(path))
    result = analyze("Pemilu", "Pemilu serentak.", taxonomy=taxonomy)
    assert result.is_election
    assert result.hashtags == ("Pemilu",)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("threshold: [", "bukan YAML"),
        ("- a\n- b\n", "mapping"),
        (MINIMAL.replace("topic: pemilu,", "topic: pilkada,"), "pilkada"),
        (MINIMAL.replace("weight: 3.0", "weight: -1"), "terms.0.weight"),
        (MINIMAL.replace("kind: event", "kind: rumor"), "terms.0.kind"),
        (MINIMAL.replace("kind: event", "kind: ambiguous"), "context"),
        (MINIMAL + "colour: red\n", "colour"),
    ],
)
def test_bad_taxonomy_names_the_problem(text: str, problem: str) -> None:
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(text, "tax.yaml")
    assert "tax.yaml" in str(info.value)
    assert problem in str(info.value)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="tidak bisa dibaca"):
        load_taxonomy(str(tmp_path / "nope.yaml"))
