"""The MinHash and band index of story dedupe match datasketch's (whose signatures earlier
versions stored), without importing it at run time."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.pipeline.dedupe import BandIndex, band_shape, from_bytes, minhash, shingles, to_bytes

datasketch = pytest.importorskip("datasketch")

TEXTS = [
    ("Pemilu damai di Kaltim", "KPU mengajak warga datang ke TPS pada hari pemungutan suara. " * n)
    for n in (1, 2, 5)
] + [("Bawaslu", "Pengawasan kampanye di Balikpapan diperketat menjelang masa tenang.")]


def test_signatures_are_datasketch_affine32_value_for_value() -> None:
    sets = [shingles(title, text) for title, text in TEXTS]
    theirs = datasketch.MinHash.bulk(sets, num_perm=128, seed=1, scheme="affine32")
    for shingle_set, reference in zip(sets, theirs, strict=True):
        ours = minhash(shingle_set)
        assert ours.values.tolist() == reference.hashvalues.tolist()
        stored = datasketch.LeanMinHash(reference).hashvalues.astype("<u8").tobytes()
        assert to_bytes(ours) == stored and from_bytes(stored).jaccard(ours) == 1.0
        assert ours.jaccard(minhash(sets[0])) == pytest.approx(reference.jaccard(theirs[0]))


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.6, 0.8, 0.95])
def test_bands_are_datasketch_optimal_ones(threshold: float) -> None:
    from datasketch.lsh import _optimal_param

    assert band_shape(threshold) == _optimal_param(threshold, 128, 0.5, 0.5)


def test_the_index_finds_near_copies_and_not_other_stories() -> None:
    index = BandIndex(0.6)
    first, longer, other = (minhash(shingles(t, x)) for t, x in (TEXTS[1], TEXTS[2], TEXTS[3]))
    index.insert(1, first)
    index.insert(3, other)
    assert index.query(minhash(shingles(*TEXTS[1]))) == {1}
    assert 3 not in index.query(longer)


@pytest.mark.slow
def test_dedupe_does_not_load_datasketch_or_scipy() -> None:
    code = (
        "import sys; from bot.pipeline.dedupe import minhash, shingles, BandIndex;"
        "BandIndex(0.6).insert(1, minhash(shingles('a b c', 'd e f')));"
        "print(sorted(m for m in ('datasketch', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
