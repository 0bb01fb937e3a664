"""One story, one post: recognise the same story published by several feeds.

Two items are the same story when their canonical links are equal (tracking parameters and
fragments stripped, see :func:`bot.parse.canonical_url`) or when their title and text are
identical or nearly so: the estimated Jaccard similarity of their word 3-gram sets (MinHash, 128
permutations) reaches ``dedupe.threshold``. Candidates come from a banded LSH index and are then
checked against the threshold.

MinHash and the index are written here on numpy rather than taken from datasketch: importing
datasketch loads all of it, scipy included, and a poll of 60 items peaked 57 MB higher with
dedupe on than off (`python bench/dedupe_memory.py`). The signatures are datasketch's
``affine32`` scheme value for value (tests check it against datasketch), so signatures stored by
earlier versions still compare.

The first item of a story (earliest published, then first stored) is its head and is posted;
the others get the head's id as ``story_id`` and are never analysed or posted, so each
channel receives a story once. Heads and duplicates of the same cycle are reported together,
so the head's post can name the other sources. The index holds the postable items first seen
within ``dedupe.window``; it is rebuilt from the database (signatures are stored with the
items) after a restart and every hour, which also lets old stories expire.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.models import Item
from bot.parse import canonical_url
from bot.settings import DedupeConfig
from bot.storage import Store
from bot.storage.stories import StoryCandidate

if TYPE_CHECKING:
    import numpy as np

# numpy (about 15 MB) is imported when the first new items arrive, so a process whose feeds
# never change never loads it.

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # stored signatures are only comparable within one scheme
SHINGLE = 3
MAX_WORDS = 2000  # the start of a long article identifies it well enough
REBUILD_EVERY = timedelta(hours=1)
_WORD = re.compile(r"\w+")
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)  # MurmurHash3's finalizer


class Signature:
    """A MinHash signature: the least permuted hash of a set, per permutation."""

    __slots__ = ("values",)

    def __init__(self, values: np.ndarray) -> None:
        self.values = values  # uint32, NUM_PERM long

    def jaccard(self, other: Signature) -> float:
        """The estimated Jaccard similarity of the two sets."""
        return float((self.values == other.values).mean())


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations for SEED: h -> a*h + b mod 2^32, `a` odd."""
    import numpy as np

    generator = np.random.RandomState(SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def minhash(shingle_set: Sequence[bytes]) -> Signature:
    """The signature of a non-empty set of shingles (SHA-1's first 4 bytes, pre-mixed)."""
    import numpy as np

    hashes = np.fromiter(
        (int.from_bytes(hashlib.sha1(s).digest()[:4], "little") for s in shingle_set),
        dtype=np.uint32,
        count=len(shingle_set),
    )
    shift1, multiply1, shift2, multiply2, shift3 = _FMIX32
    hashes ^= hashes >> np.uint32(shift1)
    hashes *= np.uint32(multiply1)
    hashes ^= hashes >> np.uint32(shift2)
    hashes *= np.uint32(multiply2)
    hashes ^= hashes >> np.uint32(shift3)
    a, b = _permutations()
    return Signature((hashes[:, None] * a + b).min(axis=0))


@dataclass(frozen=True, slots=True)
class Fresh:
    """A new, postable item on its way to analysis."""

    item_id: int
    item: Item
    feed_id: int
    source: str
    full_text: bool = False  # the feed asks for the article page when the entry is short


@dataclass(slots=True)
class Story:
    """A new story: its head (posted) and the other sources of it seen in the same cycle."""

    head: Fresh
    others: list[Fresh] = field(default_factory=list)


def shingles(title: str, text: str) -> list[bytes]:
    """Word 3-grams of the lower-cased title and text (the whole text when it is shorter)."""
    words = _WORD.findall(f"{title} {text}".lower())[:MAX_WORDS]
    if len(words) < SHINGLE:
        return [" ".join(words).encode()] if words else []
    return list({" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - 2)})


def signatures(items: Sequence[Item]) -> list[Signature | None]:
    """MinHash signatures of the items (None for an item with no words)."""
    sets = [shingles(item.title, item.text) for item in items]
    return [minhash(s) if s else None for s in sets]


def story_keys(item: Item) -> list[str]:
    """What makes two copies one story whichever instance sees them: the canonical link, and
    the words of title and text (an exact copy); SHA-256 hex, the keys of story_keys."""
    keys = []
    if item.link:
        keys.append(f"url {canonical_url(item.link)}")
    words = _WORD.findall(f"{item.title} {item.text}".lower())[:MAX_WORDS]
    if len(words) >= SHINGLE:
        keys.append("words " + " ".join(words))
    return [hashlib.sha256(key.encode()).hexdigest() for key in keys]


def to_bytes(signature: Signature) -> bytes:
    return signature.values.astype("<u8").tobytes()


def from_bytes(data: bytes) -> Signature:
    import numpy as np

    return Signature(np.frombuffer(data, dtype="<u8").astype(np.uint32))


def _false_positives(threshold: float, bands: int, rows: int) -> float:
    return _integral(lambda s: 1 - (1 - s**rows) ** bands, 0.0, threshold)


def _false_negatives(threshold: float, bands: int, rows: int) -> float:
    return _integral(lambda s: (1 - s**rows) ** bands, threshold, 1.0)


def _integral(
    function: Callable[[float], float], low: float, high: float, steps: int = 64
) -> float:
    """Simpson's rule: the curves are smooth polynomials."""
    steps = 64
    width = (high - low) / steps
    inner = sum((4 if i % 2 else 2) * function(low + i * width) for i in range(1, steps))
    return (function(low) + inner + function(high)) * width / 3


@functools.cache
def band_shape(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows per band) with the least false positives plus false negatives, weighed
    equally (datasketch's MinHashLSH default)."""
    shapes = ((b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1))
    return min(
        shapes,
        key=lambda shape: _false_positives(threshold, *shape) + _false_negatives(threshold, *shape),
    )


class BandIndex:
    """Locality-sensitive hashing: items whose signatures agree on every row of some band."""

    def __init__(self, threshold: float) -> None:
        bands, rows = band_shape(threshold)
        self._ranges = [(i * rows, (i + 1) * rows) for i in range(bands)]
        self._tables: list[dict[bytes, list[int]]] = [{} for _ in self._ranges]

    def insert(self, key: int, signature: Signature) -> None:
        for table, band in zip(self._tables, self._bands(signature), strict=True):
            table.setdefault(band, []).append(key)

    def query(self, signature: Signature) -> set[int]:
        found: set[int] = set()
        for table, band in zip(self._tables, self._bands(signature), strict=True):
            found.update(table.get(band, ()))
        return found

    def _bands(self, signature: Signature) -> list[bytes]:
        return [signature.values[start:end].tobytes() for start, end in self._ranges]


class StoryIndex:
    """Stories of the recent past, by canonical link and by MinHash; thread-safe."""

    def __init__(self, store: Store, config: DedupeConfig) -> None:
        self.store, self.config = store, config
        self._lock = threading.Lock()
        self._built_at: datetime | None = None
        self._by_url: dict[str, int] = {}
        self._story_of: dict[int, int] = {}
        self._signature_of: dict[int, Signature] = {}
        self._lsh: BandIndex | None = None  # built by _refresh
        self._seen_up_to = 0  # the newest stored item read from the database

    def group(self, fresh: Sequence[Fresh], now: datetime) -> tuple[list[Story], int]:
        """Sort new items into stories; returns the new stories and how many items were
        duplicates. Writes every item's story to the store."""
        if not self.config.enabled or not fresh:
            return [Story(head) for head in fresh], 0
        ordered = sorted(fresh, key=_first)
        sigs = signatures([f.item for f in ordered])
        with self._lock:
            self._refresh(now)
            records = [self._place(f, sig) for f, sig in zip(ordered, sigs, strict=True)]
        keys = {f.item_id: story_keys(f.item) for f, r in zip(ordered, records, strict=True)
                if r.story_id == f.item_id}  # fmt: skip
        since = now - self.config.window
        records = self.store.assign_stories(records, keys, now=now, since=since)
        with self._lock:
            for record in records:  # a head another instance had already posted is a duplicate
                self._story_of[record.item_id] = record.story_id
        heads = {f.item_id: Story(f) for f, r in zip(ordered, records, strict=True)
                 if r.story_id == f.item_id}  # fmt: skip
        duplicates = 0
        for f, record in zip(ordered, records, strict=True):
            if record.story_id != f.item_id:
                duplicates += 1
                if record.story_id in heads:
                    heads[record.story_id].others.append(f)
        return list(heads.values()), duplicates

    def _place(self, fresh: Fresh, signature: Signature | None) -> StoryCandidate:
        url = canonical_url(fresh.item.link) if fresh.item.link else None
        story = self._by_url.get(url) if url else None
        if story is None and signature is not None:
            story = self._similar(signature)
        story = fresh.item_id if story is None else story
        self._add(fresh.item_id, story, url, signature)
        blob = to_bytes(signature) if signature is not None else None
        return StoryCandidate(fresh.item_id, story, url, blob)

    def _similar(self, signature: Signature) -> int | None:
        matches = [
            self._story_of[key]
            for key in self._index().query(signature)
            if signature.jaccard(self._signature_of[key]) >= self.config.threshold
        ]
        return min(matches) if matches else None

    def _add(self, item_id: int, story: int, url: str | None, sig: Signature | None) -> None:
        self._story_of[item_id] = story
        if url:
            self._by_url.setdefault(url, story)
        if sig is not None and item_id not in self._signature_of:
            self._signature_of[item_id] = sig
            self._index().insert(item_id, sig)

    def _index(self) -> BandIndex:
        if self._lsh is None:
            self._lsh = BandIndex(self.config.threshold)
        return self._lsh

    def _refresh(self, now: datetime) -> None:
        """Rebuilt every hour (old stories leave); in between, the stories other instances
        stored since the last look join it."""
        if self._built_at is None or now - self._built_at >= REBUILD_EVERY:
            self._by_url, self._story_of, self._signature_of = {}, {}, {}
            self._lsh = BandIndex(self.config.threshold)
            self._built_at, self._seen_up_to = now, 0
        for known in self.store.recent_stories(now - self.config.window, after=self._seen_up_to):
            sig = from_bytes(known.minhash) if known.minhash else None
            self._add(known.item_id, known.story_id, known.canonical_url, sig)
            self._seen_up_to = max(self._seen_up_to, known.item_id)


def _first(fresh: Fresh) -> tuple[float, int]:
    published = fresh.item.published
    return (published.timestamp() if published else float("inf"), fresh.item_id)
