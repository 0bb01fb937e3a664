"""The people an article names, found outside its quotes, as the article first gives them.

A mention is a run of capitalised words that starts with a role ("Ketua KPU Makassar Andi
Muhammad Yasir Arafat", "Kapolres Purbalingga AKBP Hendra Irawan"), or that is followed by a
speech verb ("Djarot mengatakan"), or that follows an attribution verb ("kata Afif"). A role run
followed by ", Name," is one mention ("Koordinator Gabdem, Guntur Harahap, menyebut"). Later
mentions are matched to earlier people by their name words, fuzzily ("Faisal" is "HM Faisyal",
"Afif" is "Mochammad Afifuddin"), and role-only mentions ("Kapolres") by their role words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from bot.analyse.vocabulary import (
    HONORIFICS,
    INTRODUCERS,
    ROLE_WORDS,
    SENTENCE_OPENERS,
    SPEECH_ADVERBS,
    SPEECH_VERBS,
)

_CAP_WORD = r"(?:\([A-Z][\w.\-]*\)|['‘][A-Z][\w\-]*['’]|[A-Z][\w'’.\-]*)"
_CAP_RUN = re.compile(
    rf"{_CAP_WORD}(?:[ \t]+(?:(?:dan|bin|binti|van|de|da|al)[ \t]+)?{_CAP_WORD})*"
)

_NEXT_WORDS = re.compile(r"\s*,?\s*(\w+)(?:\s+(\w+))?")
_PREVIOUS_WORD = re.compile(r"(\w+)\s+$")
_BACK_REFERENCE = re.compile(r"\s+(?:itu|tersebut|ini)\b")
_POSITION_BEFORE = re.compile(r"\b(?:calon|jabatan|posisi|kursi|sebagai|menjadi|menjabat)\s+$")
_SENTENCE_END_WORD = re.compile(r"\b[\w'’\-]{4,}\.(?=\s|$)")
_PARENTHESISED = re.compile(r"((?:(?:[A-Z][\w.\-]*|dan)\s+){1,7})\(([A-Z][\w.\-]*)\)")


@dataclass(slots=True)
class Person:
    display: str  # role and name as the article first gives them, "(Abbr)" preferred
    names: list[str]  # lower-case name words, honorifics left out
    words: set[str]  # every lower-case word of every mention
    has_role: bool
    mentions: list[int] = field(default_factory=list)  # character offsets


@dataclass(frozen=True, slots=True)
class Mention:
    person: Person
    start: int
    end: int


def _words(text: str) -> list[str]:
    return re.findall(r"\w+(?:['’]\w+)*", text)


def _is_role(word: str) -> bool:
    return word.lower() in ROLE_WORDS


def _name_words(words: list[str]) -> list[str]:
    """The trailing words after the last role word, acronym or parenthesised short form."""
    tail: list[str] = []
    for word in reversed(words):
        bare = word.strip("().")
        if _is_role(bare) or word.startswith("(") or (bare.isupper() and len(bare) > 2):
            break
        tail.append(bare)
    return [w.lower() for w in reversed(tail) if w.lower() not in HONORIFICS and len(w) > 1]


def _shorten(display: str) -> str:
    """ "Sekretaris Daerah Provinsi (Sekdaprov) Kaltim" -> "Sekdaprov Kaltim"."""

    def swap(match: re.Match[str]) -> str:
        long_words, short = match.group(1).split(), match.group(2)
        for i, word in enumerate(long_words):
            if word[0].lower() == short[0].lower() and len(long_words) - i >= 2:
                kept = " ".join(long_words[:i])
                return f"{kept} {short}" if kept else short
        return match.group(0)

    return " ".join(_PARENTHESISED.sub(swap, display).split())


def similar(word: str, other: str) -> bool:
    """Two name words that name the same person: equal, a short form, or a misspelling."""
    if word == other:
        return True
    if len(word) >= 4 and (other.startswith(word) or (word.startswith(other) and len(other) >= 4)):
        return True
    if len(word) < 4 or word[0] != other[0] or abs(len(word) - len(other)) > 3:
        return False
    return SequenceMatcher(None, word, other).ratio() >= 0.8


class Registry:
    """The people of one article, in order of first mention."""

    def __init__(self) -> None:
        self.people: list[Person] = []

    def find(self, words: list[str], before: int | None = None) -> Person | None:
        """The most recently mentioned person whose name (or role) has all these words."""
        wanted = [w.lower() for w in words if w.lower() not in HONORIFICS]
        if not wanted:
            return None
        best: Person | None = None
        best_at = -1
        for person in self.people:
            pool = person.names or list(person.words)
            if all(any(similar(w, p) for p in pool) for w in wanted) or all(
                w in person.words for w in wanted
            ):
                seen = [m for m in person.mentions if before is None or m < before]
                at = max(seen, default=-1)
                if at > best_at or best is None:
                    best, best_at = person, at
        return best

    def add(self, text: str, start: int, role: bool) -> Person | None:
        words = _words(text)
        names = _name_words(words) if role else [w.lower() for w in words if len(w) > 1]
        names = [n for n in names if n not in HONORIFICS]
        person = self.find(names, start) if names else self.find(words, start)
        if person is None and names:
            person = Person(_shorten(text), names, set(), role)
            self.people.append(person)
        if person is None:
            return None
        if role and not person.has_role and names:
            person.display, person.has_role = _shorten(text), True  # the first full form
        person.words.update(w.lower() for w in words)
        person.mentions.append(start)
        return person


def _strip_starters(text: str, start: int) -> tuple[str, int]:
    """Drop capitalised sentence openers ("Sementara", "Menurut") and a pronoun-only run."""
    cut = _SENTENCE_END_WORD.search(text)  # "Afif. Ia": the run crossed a sentence end
    if cut:
        text = text[: cut.end() - 1]
    while text:
        first = text.split(" ", 1)[0]
        if first.lower().strip(",") not in SENTENCE_OPENERS:
            return text, start
        rest = text[len(first) :].lstrip()
        start += len(text) - len(rest)
        text = rest
    return text, start


def _verb_follows(text: str, end: int) -> bool:
    """ "Djarot mengatakan", "Afif pun menegaskan"."""
    match = _NEXT_WORDS.match(text, end)
    if match is None:
        return False
    first, second = match.group(1).lower(), (match.group(2) or "").lower()
    return first in SPEECH_VERBS or (first in SPEECH_ADVERBS and second in SPEECH_VERBS)


def _introduced(text: str, start: int) -> bool:
    """ "kata Afif", "Menurut Afif", "disampaikan Djarot"."""
    match = _PREVIOUS_WORD.search(text, max(0, start - 20), start)
    return bool(match) and match.group(1).lower() in INTRODUCERS


def find_mentions(masked: str, registry: Registry) -> list[Mention]:
    """Person mentions in `masked` (the text with its quotes blanked out), in order."""
    runs = [(m.group(), m.start(), m.end()) for m in _CAP_RUN.finditer(masked)]
    mentions: list[Mention] = []
    i = 0
    while i < len(runs):
        text, start, end = runs[i]
        text, start = _strip_starters(text, start)
        if not text:
            i += 1
            continue
        end = start + len(text) if len(text) < end - start else end
        previous = _PREVIOUS_WORD.search(masked, max(0, start - 20), start)
        if previous and previous.group(1) in ROLE_WORDS:  # "anggota Bawaslu RI, Lolly Suhenty"
            start = previous.start(1)
            text = masked[start:end]
        role = _is_role(text.split(" ", 1)[0])
        if role and _POSITION_BEFORE.search(masked[max(0, start - 20) : start]):
            i += 1
            continue  # "calon Ketua DPD": a post, not a person
        if role and i + 1 < len(runs):
            gap = masked[end : runs[i + 1][1]]
            nxt = runs[i + 1][0]
            if re.fullmatch(r"\s*,\s*", gap) and not _is_role(nxt.split(" ", 1)[0]):
                text, end, i = f"{text} {nxt}", runs[i + 1][2], i + 1  # "Ketua X, Nama,"
        i += 1
        if _BACK_REFERENCE.match(masked, end) and role:
            continue  # "Mantan Kepala Dinas Pariwisata itu": the person already in view
        spoken = _verb_follows(masked, end) or _introduced(masked, start)
        if not (role or spoken):
            continue
        person = registry.add(text, start, role)
        if person is not None:
            mentions.append(Mention(person, start, end))
    return mentions
