"""Word tokens, Sastrawi stems and phrase matching.

A form word written in capitals (``KPU``, ``TPS``) matches the surface text exactly; any other
word matches by its Sastrawi stem, so "berkampanye" and "dikampanyekan" both match "kampanye".
A word written with a leading ``=`` ("=pelatih") matches that lower-case word only, for a word
whose stem belongs to a different word ("pelatih", the coach, and "pelatihan", a training
course, both stem to "latih").
Sastrawi is slow, so stems are cached and only words that could stem to a taxonomy stem are
stemmed at all (a prefix may change the first letter: "memilih" -> "pilih", so the test is
whether the word ends in the stem without its first letter, then suffixes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, Literal, TypeVar

T = TypeVar("T")

_WORD = re.compile(r"\w+")
_FORM_WORD = re.compile(r"=?\w+")
# Inflectional and derivational suffixes, outermost last: "pemilihannya" = pilih + an + nya.
_SUFFIXES = r"(?:kan|an|i)?(?:ku|mu|nya)?(?:lah|kah|tah|pun)?"
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]*[A-Z0-9]$|^[A-Z]{2,}[a-z]?$")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=131072)
def stem(word: str) -> str:
    """The Sastrawi stem of one lower-case word."""
    if not word.isalpha():
        return word
    return str(_stemmer().stem(word)) or word


def is_acronym(word: str) -> bool:
    """A form word matched on its surface: KPU, TPS, DPTb, C1."""
    return bool(_ACRONYM.match(word))


Mode = Literal["surface", "lower", "stem"]


@dataclass(frozen=True, slots=True)
class WordPattern:
    value: str
    mode: Mode  # surface: exact (acronyms); lower: the lower-case word; stem: its stem


def compile_form(form: str) -> tuple[WordPattern, ...]:
    """One taxonomy form ("surat suara", "KPU", "=pelatih") as a sequence of word patterns."""
    return tuple(_pattern(w) for w in _FORM_WORD.findall(form))


def _pattern(word: str) -> WordPattern:
    if word.startswith("="):
        return WordPattern(word[1:].lower(), "lower")
    if is_acronym(word):
        return WordPattern(word, "surface")
    return WordPattern(stem(word.lower()), "stem")


@dataclass(frozen=True, slots=True)
class Doc:
    """A tokenised text: surfaces, character spans and match keys (stem or lower case)."""

    text: str
    surfaces: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    keys: tuple[str, ...]
    by_surface: dict[str, list[int]]
    by_key: dict[str, list[int]]
    by_lower: dict[str, list[int]]

    def actual(self, i: int, mode: Mode) -> str:
        """Token i as a pattern of this mode sees it."""
        if mode == "surface":
            return self.surfaces[i]
        return self.surfaces[i].lower() if mode == "lower" else self.keys[i]

    def index(self, mode: Mode) -> dict[str, list[int]]:
        if mode == "surface":
            return self.by_surface
        return self.by_lower if mode == "lower" else self.by_key

    def __len__(self) -> int:
        return len(self.surfaces)

    def span_text(self, start: int, end: int) -> str:
        return self.text[self.spans[start][0] : self.spans[end - 1][1]]


class Lexicon:
    """Decides which words need stemming, from the stems a taxonomy uses."""

    def __init__(self, stems: Iterable[str]) -> None:
        fragments = sorted({s[1:] if len(s) > 3 else s for s in stems if s})
        pattern = "|".join(re.escape(f) for f in fragments) or r"(?!x)x"
        self._needs_stem = re.compile(rf"(?:{pattern})(?:{_SUFFIXES})?$")

    @lru_cache(maxsize=65536)  # noqa: B019 - one Lexicon per taxonomy, kept for the process
    def key(self, lower: str) -> str:
        return stem(lower) if self._needs_stem.search(lower) else lower

    def doc(self, text: str) -> Doc:
        matches = list(_WORD.finditer(text))
        surfaces = tuple(m.group() for m in matches)
        keys = tuple(self.key(s.lower()) for s in surfaces)
        by_surface: dict[str, list[int]] = {}
        by_key: dict[str, list[int]] = {}
        by_lower: dict[str, list[int]] = {}
        for i, (surface, key) in enumerate(zip(surfaces, keys, strict=True)):
            by_surface.setdefault(surface, []).append(i)
            by_key.setdefault(key, []).append(i)
            by_lower.setdefault(surface.lower(), []).append(i)
        spans = tuple(m.span() for m in matches)
        return Doc(text, surfaces, spans, keys, by_surface, by_key, by_lower)


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    payload: T
    start: int  # token index
    end: int  # token index, exclusive


class PhraseSet(Generic[T]):
    """Taxonomy forms, each with a payload, matched longest-first over a Doc."""

    def __init__(self, entries: Iterable[tuple[str, T]]) -> None:
        self._by_first: dict[tuple[Mode, str], list[tuple[tuple[WordPattern, ...], T]]] = {}
        for form, payload in entries:
            patterns = compile_form(form)
            if patterns:
                first = patterns[0]
                self._by_first.setdefault((first.mode, first.value), []).append((patterns, payload))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda c: -len(c[0]))

    @property
    def stems(self) -> set[str]:
        return {
            p.value
            for candidates in self._by_first.values()
            for patterns, _ in candidates
            for p in patterns
            if p.mode == "stem"
        }

    def _match_at(self, doc: Doc, i: int) -> tuple[int, T] | None:
        modes: tuple[Mode, ...] = ("surface", "lower", "stem")
        for mode in modes:
            for patterns, payload in self._by_first.get((mode, doc.actual(i, mode)), ()):
                if _matches(doc, i, patterns):
                    return len(patterns), payload
        return None

    def scan(self, doc: Doc) -> list[Hit[T]]:
        """Non-overlapping hits, the longest form winning at each position."""
        candidates: set[int] = set()
        for mode, value in self._by_first:
            candidates.update(doc.index(mode).get(value, ()))
        hits: list[Hit[T]] = []
        free = 0
        for i in sorted(candidates):
            if i < free:
                continue
            found = self._match_at(doc, i)
            if found is not None:
                length, payload = found
                hits.append(Hit(payload, i, i + length))
                free = i + length
        return hits

    def positions(self, doc: Doc) -> list[int]:
        return [hit.start for hit in self.scan(doc)]


def _matches(doc: Doc, i: int, patterns: Sequence[WordPattern]) -> bool:
    if i + len(patterns) > len(doc):
        return False
    for offset, pattern in enumerate(patterns):
        if doc.actual(i + offset, pattern.mode) != pattern.value:
            return False
    return True


def near(positions: Sequence[int], start: int, end: int, window: int) -> int | None:
    """The first position within `window` tokens of [start, end), or None."""
    for p in positions:
        if start - window <= p < end + window and not start <= p < end:
            return p
    return None
