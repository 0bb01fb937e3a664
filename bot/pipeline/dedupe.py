"""One story, one post: recognise the same story published by several feeds.

Two items are the same story when their canonical links are equal (tracking parameters and
fragments stripped, see :func:`bot.parse.canonical_url`) or when their title and text are
identical or nearly so: the estimated Jaccard similarity of their word 3-gram sets
(datasketch MinHash, 128 permutations, built in one batch) reaches ``dedupe.threshold``.
Candidates come from a MinHash LSH index and are then checked against the threshold.

The first item of a story (earliest published, then first stored) is its head and is posted;
the others get the head's id as ``story_id`` and are never analysed or posted, so each
channel receives a story once. Heads and duplicates of the same cycle are reported together,
so the head's post can name the other sources. The index holds the postable items first seen
within ``dedupe.window``; it is rebuilt from the database (signatures are stored with the
items) after a restart and every hour, which also lets old stories expire.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.models import Item
from bot.parse import canonical_url
from bot.settings import DedupeConfig
from bot.storage import Store
from bot.storage.views import StoryCandidate

if TYPE_CHECKING:
    from datasketch import LeanMinHash

# datasketch (with numpy and scipy) weighs about 60 MB: it is imported when the first new
# items arrive, so a process whose feeds never change never loads it.

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # stored signatures are only comparable within one scheme
SHINGLE = 3
MAX_WORDS = 2000  # the start of a long article identifies it well enough
REBUILD_EVERY = timedelta(hours=1)
_WORD = re.compile(r"\w+")


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


def signatures(items: Sequence[Item]) -> list[LeanMinHash | None]:
    """MinHash signatures of the items, computed in one batch (None for an item with no words)."""
    from datasketch import LeanMinHash, MinHash

    sets = [shingles(item.title, item.text) for item in items]
    filled = [s for s in sets if s]
    hashes = (
        iter(MinHash.bulk(filled, num_perm=NUM_PERM, seed=SEED, scheme=SCHEME))
        if filled
        else iter(())
    )
    return [LeanMinHash(next(hashes)) if s else None for s in sets]


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


def to_bytes(signature: LeanMinHash) -> bytes:
    return signature.hashvalues.astype("<u8").tobytes()


def from_bytes(data: bytes) -> LeanMinHash:
    import numpy as np
    from datasketch import LeanMinHash

    return LeanMinHash(seed=SEED, hashvalues=np.frombuffer(data, dtype="<u8"), scheme=SCHEME)


class StoryIndex:
    """Stories of the recent past, by canonical link and by MinHash; thread-safe."""

    def __init__(self, store: Store, config: DedupeConfig) -> None:
        self.store, self.config = store, config
        self._lock = threading.Lock()
        self._built_at: datetime | None = None
        self._by_url: dict[str, int] = {}
        self._story_of: dict[int, int] = {}
        self._signature_of: dict[int, LeanMinHash] = {}
        self._lsh: Any = None  # a datasketch MinHashLSH, built by _refresh
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

    def _place(self, fresh: Fresh, signature: LeanMinHash | None) -> StoryCandidate:
        url = canonical_url(fresh.item.link) if fresh.item.link else None
        story = self._by_url.get(url) if url else None
        if story is None and signature is not None:
            story = self._similar(signature)
        story = fresh.item_id if story is None else story
        self._add(fresh.item_id, story, url, signature)
        blob = to_bytes(signature) if signature is not None else None
        return StoryCandidate(fresh.item_id, story, url, blob)

    def _similar(self, signature: LeanMinHash) -> int | None:
        matches = [
            self._story_of[int(key)]
            for key in self._lsh.query(signature)
            if signature.jaccard(self._signature_of[int(key)]) >= self.config.threshold
        ]
        return min(matches) if matches else None

    def _add(self, item_id: int, story: int, url: str | None, sig: LeanMinHash | None) -> None:
        self._story_of[item_id] = story
        if url:
            self._by_url.setdefault(url, story)
        if sig is not None and item_id not in self._signature_of:
            self._signature_of[item_id] = sig
            self._lsh.insert(str(item_id), sig)

    def _refresh(self, now: datetime) -> None:
        """Rebuilt every hour (old stories leave); in between, the stories other instances
        stored since the last look join it."""
        if self._built_at is None or now - self._built_at >= REBUILD_EVERY:
            from datasketch import MinHashLSH

            self._by_url, self._story_of, self._signature_of = {}, {}, {}
            self._lsh = MinHashLSH(threshold=self.config.threshold, num_perm=NUM_PERM)
            self._built_at, self._seen_up_to = now, 0
        for known in self.store.recent_stories(now - self.config.window, after=self._seen_up_to):
            sig = from_bytes(known.minhash) if known.minhash else None
            self._add(known.item_id, known.story_id, known.canonical_url, sig)
            self._seen_up_to = max(self._seen_up_to, known.item_id)


def _first(fresh: Fresh) -> tuple[float, int]:
    published = fresh.item.published
    return (published.timestamp() if published else float("inf"), fresh.item_id)
