"""The people an article names, found outside its quotes, as the article first gives them.

A mention is a run of capitalised words that starts with a role ("Ketua KPU Makassar Andi
Muhammad Yasir Arafat", "Kapolres Purbalingga AKBP Hendra Irawan"), or that is followed by a
speech verb ("Djarot mengatakan"), or that follows an attribution verb ("kata Afif"). A role run
followed by ", Name," is one mention ("Koordinator Gabdem, Guntur Harahap, menyebut"). Later
mentions are matched to earlier people by their name words, fuzzily ("Faisal" is "HM Faisyal",
"Afif" is "Mochammad Afifuddin"), and role-only mentions ("Kapolres", "Kepala Negara") by their
role words; a short office before a short name ("Menko Polkam Budi") is the person whose office
it shortens. Two roled people joined by "dan" are two mentions; initials given in brackets
after a name ("Andi Harun (AH)") name that person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from bot.analyse.appositives import (
    appositive_verb,
    blank_degrees,
    described_role,
    leading_role,
)
from bot.analyse.names import (
    canonical,
    initials_match,
    is_honorific,
    is_institution_word,
    is_office,
    split_mention,
)
from bot.analyse.vocabulary import (
    ABBREVIATIONS,
    CALENDAR_WORDS,
    HONORIFICS,
    INTRODUCERS,
    RANKS,
    ROLE_TAILS,
    ROLE_WORDS,
    SENTENCE_OPENERS,
    SPEECH_ADVERBS,
    SPEECH_VERBS,
)

_CAP_WORD = (
    r"(?:\([A-Z][\w.\-]*(?:[ \t]+[A-Z][\w.\-]*){0,3}\)|['‘][A-Z][\w\-]*['’]|[A-Z][\w'’.\-]*)"
)
_JOINER = r"(?:dan|bin|binti|van|de|da|al|dr|drg)"  # inside a name: "Kepala Dinkes dr Ismid"
_CAP_RUN = re.compile(
    rf"{_CAP_WORD}(?:[ \t]+(?:{_JOINER}[ \t]+|\d+[ \t]+|\d+/)?{_CAP_WORD})*"
    r"(?:[ \t]+\d+(?=[ \t]*,))?"  # "Ketua RT 05, Sugianto"
)
# "Perwira menengah itu", "perwira tinggi Polri tersebut": the officer last named.
_QUANTIFIER = re.compile(r"^(?:[Ss]alah[ \t]+(?:satu|seorang)|[Ss]eorang|[Ss]ebagai)[ \t]+")
_RANK_REFERENCE = re.compile(
    r"\b[Pp]erwira(?:[ \t]+[\w\-]+){0,3}?[ \t]+(?:itu|tersebut)\b(?=[ \t]*,?[ \t]*(\w+))"
)

_LOWER_WORD = re.compile(r"[a-z]+")
_LOWER_WORDS = re.compile(r"(?<![\w'’])[a-z][\w\-]*")
_LOWER_RUN_BEFORE = re.compile(r"((?:[a-z]+[ \t]+){1,3})$")
_SENTENCE_ROLE_BEFORE = re.compile(r"\b([A-Z][a-z]+)(?:[ \t]+[a-z]+){1,3}[ \t]+$")
_NEXT_WORDS = re.compile(r"\s*,?\s*(\w+)(?:\s+(\w+))?")
_PREVIOUS_WORD = re.compile(r"(\w+)\s+$")
_BACK_REFERENCE = re.compile(r"\s+(?:itu|tersebut|ini)\b")
_POSITION_BEFORE = re.compile(r"\b(?:calon|jabatan|posisi|kursi|sebagai|menjadi|menjabat)\s+$")
_SENTENCE_END_WORD = re.compile(r"\b([\w'’\-]{2,})\.(?=\s|$)")
_PARENTHESISED = re.compile(
    r"((?:(?:[A-Z][\w.\-]*|dan)\s+){1,7})\(([A-Z][\w.\-]*(?:\s[A-Z][\w.\-]*){0,3})\)"
)


# Offices news names by another phrase: "kata Kepala Negara" is the President.
_ROLE_PHRASES = {
    "kepala negara": ["presiden"],
    "kepala pemerintahan": ["presiden"],
    "wakil kepala negara": ["wakil", "presiden"],
}


@dataclass(slots=True)
class Person:
    display: str  # role and name as the article first gives them, "(Abbr)" preferred
    names: list[str]  # lower-case name words, honorifics left out
    words: set[str]  # every lower-case word of every mention
    has_role: bool
    mentions: list[int] = field(default_factory=list)  # character offsets
    name: str | None = None  # the full name as first given, no honorifics
    role: str | None = None  # the role or office as first given


@dataclass(frozen=True, slots=True)
class Mention:
    person: Person
    start: int
    end: int


def _words(text: str) -> list[str]:
    return re.findall(r"\w+(?:['’]\w+)*", text)


def _is_role(word: str) -> bool:
    return word.lower() in ROLE_WORDS


def _is_name_word(word: str) -> bool:
    lower = word.lower()
    return len(word) > 1 and not word.isdigit() and lower not in HONORIFICS | CALENDAR_WORDS


def _shorten(display: str) -> str:
    """ "Sekretaris Daerah Provinsi (Sekdaprov) Kaltim" -> "Sekdaprov Kaltim"."""

    def swap(match: re.Match[str]) -> str:
        long_words, short = match.group(1).split(), match.group(2)
        for i, word in enumerate(long_words):
            if word[0].lower() == short[0].lower() and len(long_words) - i >= 2:
                kept = " ".join(long_words[:i])
                return f"{kept} {short}" if kept else short
        return match.group(0)

    if display.rstrip().endswith(")") and display.count("(") == 1:
        return " ".join(display.split())  # "Joko Widodo (Jokowi)": a nickname, kept as written
    return " ".join(_PARENTHESISED.sub(swap, display).split())


def _display(text: str) -> str:
    """The name as shown: short forms preferred, a sentence's full stop and "Salah satu" off."""
    text = _QUANTIFIER.sub("", _shorten(text))
    last = text.rsplit(" ", 1)[-1]
    return text[:-1] if text.endswith(".") and len(last) > 3 else text


@lru_cache(maxsize=65536)
def similar(word: str, other: str) -> bool:
    """Two name words that name the same person: equal, a short form, or a misspelling."""
    if word == other:
        return True
    if len(word) >= 4 and (other.startswith(word) or (word.startswith(other) and len(other) >= 4)):
        return True
    if len(word) < 4 or word[0] != other[0] or abs(len(word) - len(other)) > 3:
        return False
    return SequenceMatcher(None, word, other).ratio() >= 0.8


def _named_by(wanted: list[str], person: Person) -> bool:
    """Every word names the person: a name word, a short form or initials ("IP", "AHY")."""
    pool = person.names or list(person.words)
    return all(any(similar(w, p) for p in pool) or initials_match(w, pool) for w in wanted)


def _has_role_words(wanted: list[str], person: Person) -> bool:
    """ "anggota Bawaslu", "komisioner KPU": every word is one of the person's role words."""
    roles = {canonical(w) for w in person.words}
    return all(canonical(w) in roles for w in wanted)


class Registry:
    """The people of one article, in order of first mention."""

    def __init__(
        self, places: frozenset[str] = frozenset(), common: frozenset[str] = frozenset()
    ) -> None:
        self.people: list[Person] = []
        self.places = places  # the article's places: never a person's name
        self.common = common  # words the article writes in lower case: "keamanan", "kabinet"

    def find(self, words: list[str], before: int | None = None) -> Person | None:
        """The most recently mentioned person whose name (or role) has all these words."""
        wanted = [w.lower() for w in words if w.lower() not in HONORIFICS]
        if not wanted:
            return None
        wanted = _ROLE_PHRASES.get(" ".join(wanted), wanted)
        best: Person | None = None
        best_at = -1
        for person in self.people:
            if _named_by(wanted, person) or _has_role_words(wanted, person):
                seen = [m for m in person.mentions if before is None or m < before]
                at = max(seen, default=-1)
                if at > best_at or best is None:
                    best, best_at = person, at
        return best

    def _names(self, text: str) -> list[str]:
        """The lower-case name words of a role mention: "Ketua KPU Kaltim Fahmi Idris"."""
        name = split_mention(text, self.places, self.common)[1]
        return [w.lower() for w in _words(name or "") if _is_name_word(w)]

    def _split(self, text: str, has_role: bool) -> tuple[str | None, str | None]:
        """(role, name) of a mention; a mention without a role is all name."""
        role, name = split_mention(_display(text), self.places, self.common)
        if name is None and not has_role:  # "Herry IP": a short form, all name
            kept = [w for w in _display(text).split() if not is_honorific(w)]
            return None, " ".join(kept).strip(" ,.") or None
        if role and not has_role and not any(_is_role(w) or is_office(w) for w in _words(role)):
            role = None  # "Indonesia Herry Iman Pierngadi": a place, not an office
        return role, name

    def _after_short_office(self, names: list[str], start: int) -> Person | None:
        """ "Menko Polkam Budi", "Kadiv Pemasyarakatan Jumadi": a short office word before a
        name the article has given: the person of the name that follows it."""
        for cut in range(1, len(names)):
            if any(self.find([w], start) for w in names[:cut]):
                return None  # "Budi dan Ahmad": the word before names someone too
            person = self.find(names[cut:], start)
            if person is None or not person.names or not person.has_role:
                continue
            office = [w.lower() for w in _words(person.role or "") if len(w) >= 3]
            if all(any(o.startswith(w[:3]) for o in office) for w in names[:cut]):
                return person  # "Polkam" shortens "Politik dan Keamanan" of that person's office
        return None

    def add(
        self,
        text: str,
        start: int,
        role: bool,
        display: str | None = None,
        raw: str | None = None,
    ) -> Person | None:
        """Register a mention; `display` is a role described around the name, when there is;
        `raw` the mention with the comma that sets its name off ("Koordinator Gabdem, Guntur")."""
        words = _words(text)
        names = self._names(text) if role else [w.lower() for w in words if _is_name_word(w)]
        person = self.find(names, start) if names else self.find(words, start)
        if person is None and role and len(names) > 1:
            person = self._after_short_office(names, start)
        if person is None and names:
            person = Person(_display(display or text), names, set(), role or bool(display))
            self.people.append(person)
            person.role, person.name = self._split(raw or display or text, role or bool(display))
        if person is None:
            return None
        if (role or display) and not person.has_role and names:
            person.display, person.has_role = _display(display or text), True  # first full form
            role_text, name = self._split(raw or display or text, True)
            person.role = role_text
            if name and (person.name is None or len(name) > len(person.name)):
                person.name = name
        person.words.update(w.lower() for w in words)
        person.mentions.append(start)
        return person


def _strip_starters(text: str, start: int) -> tuple[str, int]:
    """Drop capitalised sentence openers ("Sementara", "Menurut") and a pronoun-only run."""
    for cut in _SENTENCE_END_WORD.finditer(text):  # "PIP. Ia": the run crossed a sentence end
        if cut.group(1).lower() not in HONORIFICS | ABBREVIATIONS:
            text = text[: cut.end() - 1]
            break
    while text:
        first = text.split(" ", 1)[0]
        if first.lower().strip(",") not in SENTENCE_OPENERS | CALENDAR_WORDS:
            return text, start
        rest = text[len(first) :].lstrip()
        start += len(text) - len(rest)
        text = rest
    return text, start


def _sentences(text: str, start: int) -> list[tuple[str, int, int]]:
    """A capitalised run cut where a sentence ends inside it: "TPS. Kapolres Paser AKBP Novy"
    is "TPS" and "Kapolres Paser AKBP Novy"."""
    for cut in _SENTENCE_END_WORD.finditer(text):
        if cut.group(1).lower() not in HONORIFICS | ABBREVIATIONS:
            rest = text[cut.end() :]
            at = cut.end() + len(rest) - len(rest.lstrip())
            if not rest.strip():
                break
            head = (text[: cut.end()], start, start + cut.end())
            return [head, *_sentences(text[at:], start + at)]
    return [(text, start, start + len(text))]


_AND_ROLE = re.compile(r"[ \t]+dan[ \t]+(?=([A-Z][\w\-]*))")


def _people_apart(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """ "Komisioner Bawaslu Daini Rahmat dan Ketua Bawaslu Hari Dermanto": two mentions, cut
    where "dan" is followed by a role of its own ("Politik dan Keamanan" stays whole)."""
    for match in _AND_ROLE.finditer(text):
        word = match.group(1)
        if _is_role(word) or (is_office(word) and not word.isupper()):
            head = (text[: match.start()], start, start + match.start())
            return [head, *_people_apart(text[match.end() :], start + match.end(), end)]
    return [(text, start, end)]


def _verb_follows(text: str, end: int) -> bool:
    """ "Djarot mengatakan", "Afif pun menegaskan"."""
    match = _NEXT_WORDS.match(text, end)
    if match is None:
        return False
    return _is_speech(match.group(1).lower(), (match.group(2) or "").lower())


def _is_speech(first: str, second: str) -> bool:
    return first in SPEECH_VERBS or (first in SPEECH_ADVERBS and second in SPEECH_VERBS)


def _introduced(text: str, start: int) -> bool:
    """ "kata Afif", "Menurut Afif", "disampaikan Djarot"."""
    match = _PREVIOUS_WORD.search(text, max(0, start - 20), start)
    return match is not None and match.group(1).lower() in INTRODUCERS


def _common_first_word(masked: str, piece: str) -> bool:
    """ "Pasangan Rahmad Mas'ud": a capitalised sentence opener the article also writes in
    lower case is a common noun, not part of the name."""
    first = piece.split(" ", 1)[0]
    return " " in piece and re.search(rf"\b{re.escape(first.lower())}\b", masked) is not None


def _full_form(
    masked: str, runs: list[tuple[str, int, int]], before: int, names: list[str]
) -> tuple[str, int, int] | None:
    """The article's first fuller run holding every name word ("Novan" -> "Ir H Muhammad Novan
    Syahronny"), each side of a "dan" taken apart."""
    for text, start, _ in runs:
        if start >= before:
            return None
        for piece in re.finditer(r"(?:(?! dan ).)+", text):
            words = [w.lower() for w in _words(piece.group())]
            pool = [w for w in words if _is_name_word(w)]
            if len(words) > len(names) and all(
                n in words or initials_match(n, pool) for n in names
            ):
                body, at = _strip_starters(piece.group(), start + piece.start())
                if _common_first_word(masked, body):
                    rest = body.split(" ", 1)[1]
                    at, body = at + len(body) - len(rest), rest
                return (body, at, at + len(body)) if body else None
    return None


def _name_mention(
    masked: str,
    runs: list[tuple[str, int, int]],
    text: str,
    start: int,
    end: int,
    registry: Registry,
) -> tuple[str, str | None]:
    """A bare name as a person: its first full form and a role set off by commas before it."""
    names = [w.lower() for w in _words(text) if _is_name_word(w)]
    if not names or registry.find(names, start) is not None:
        return text, None  # someone the article has already named
    full = _full_form(masked, runs, start, names)
    if full is not None:
        text, start, end = full
    role_at = leading_role(masked, start, end)
    display = f"{masked[role_at:start].strip(' ,')} {text}" if role_at is not None else None
    return text, display


def lower_case_words(text: str) -> frozenset[str]:
    """The words an article writes in lower case somewhere (common nouns, not names)."""
    return frozenset(_LOWER_WORDS.findall(text))


def find_mentions(masked: str, registry: Registry) -> list[Mention]:
    """Person mentions in `masked` (the text with its quotes blanked out), in order."""
    masked = blank_degrees(masked)
    lower_words = frozenset(_LOWER_WORDS.findall(masked))  # words the article writes in lower case
    runs = [
        part
        for m in _CAP_RUN.finditer(masked)
        for piece in _sentences(m.group(), m.start())
        for part in _people_apart(*piece)
    ]
    mentions: list[Mention] = []
    skip_until = -1  # runs inside an appositive ("Nadia, mahasiswi X, mengaku") are not people
    i = 0
    while i < len(runs):
        text, start, end = runs[i]
        text, start = _strip_starters(text, start)
        if not text:
            i += 1
            continue
        end = start + len(text) if len(text) < end - start else end
        role_at = _lower_case_role(masked, start)  # "anggota Bawaslu RI, Lolly Suhenty"
        if role_at is not None:
            start, text = role_at, masked[role_at:end]
        first_word = text.split(" ", 1)[0]
        role = _is_role(first_word) or (is_office(first_word) and " " in text)  # "Mendagri Tito"
        if not role and i + 1 < len(runs):
            role = _post_before_name(masked, text, end, runs[i + 1], registry)
        name_from = 0  # where the name starts in `text`, when a comma set it off
        if role and _POSITION_BEFORE.search(masked[max(0, start - 20) : start]):
            i += 1
            continue  # "calon Ketua DPD": a post, not a person
        while role and i + 1 < len(runs) and _comma_before(masked, end, runs[i + 1]):
            nxt = runs[i + 1][0]
            more = i + 2 < len(runs) and _comma_before(masked, runs[i + 1][2], runs[i + 2])
            if more and _office_words(nxt, registry):
                text, end, i = f"{text}, {nxt}", runs[i + 1][2], i + 1  # "Divisi Hukum, ..."
                continue
            text, end, i = f"{text} {nxt}", runs[i + 1][2], i + 1  # "Ketua X, Nama,"
            name_from = len(text) - len(nxt)
            break
        i += 1
        if start < skip_until:
            continue
        if _BACK_REFERENCE.match(masked, end) and role:
            # "kata anggota Bawaslu itu": the person of that role; "Mantan Kepala Dinas
            # Pariwisata itu", a role not given before: the person already in view.
            person = registry.find(_words(text), start)
            if person is not None and person.names:
                person.mentions.append(start)
                mentions.append(Mention(person, start, end))
            continue
        spoken = _verb_follows(masked, end) or _introduced(masked, start)
        if not role and _common_noun(masked, text, start, registry, lower_words):
            continue  # "Pengawas memastikan ...": a common noun opening a sentence
        if not role and _institution(text, registry) and not _initials_of_a_name(masked, text):
            continue  # "KPU Kaltim memaparkan ...": an institution, not a person
        display = None
        if not spoken:
            appositive = appositive_verb(masked, end)
            if appositive and _is_speech(appositive[0], appositive[1]):
                spoken, skip_until = True, appositive[2]
        if not (role or spoken):
            described = described_role(masked, start, end)
            if described is None:
                continue
            display = f"{masked[described:start].strip(' ,')} {text}"
            start = described
        elif not role:
            text, display = _name_mention(masked, runs, text, start, end, registry)
        raw = f"{text[:name_from].rstrip()}, {text[name_from:]}" if name_from else None
        person = registry.add(text, start, role, display, raw)
        if person is not None:
            mentions.append(Mention(person, start, end))
    mentions += _rank_references(masked, registry)
    return sorted(mentions, key=lambda m: m.start)


def _office_words(text: str, registry: Registry) -> bool:
    """ "Partisipasi Masyarakat dan Hubungan Masyarakat": more of an office, not a name."""
    return _institution(re.sub(r"\bdan\b", " ", text), registry)


def _comma_before(masked: str, end: int, following: tuple[str, int, int]) -> bool:
    """ "Ketua X, Nama": the next run follows a comma (not a blanked-out quote) and is neither a
    new role nor a weekday."""
    first = following[0].split(" ", 1)[0]
    return (
        re.fullmatch(r"[ \t]?,[ \t]{0,2}", masked[end : following[1]]) is not None
        and not _is_role(first)
        and first.lower() not in CALENDAR_WORDS
    )


_SET_OFF_VERB = re.compile(r"[ \t]*,[ \t]*(?:me|ber|di|ter)[a-z]{3,}\b")


def _post_before_name(
    masked: str, text: str, end: int, following: tuple[str, int, int], registry: Registry
) -> bool:
    """ "PTPS Loa Bakung, Hendra Gunawan, mengawasi ...": a post written as an acronym and a
    place, then a name set off by commas and a verb: the post of that person."""
    nxt, nxt_start, nxt_end = following
    if not re.fullmatch(r"[ \t]?,[ \t]{0,2}", masked[end:nxt_start]):
        return False
    first = text.split(" ", 1)[0]
    opens = masked[: end - len(text)].rstrip(" \t")
    if not (first.isupper() and len(first) > 1) or not (opens == "" or opens.endswith((".", "\n"))):
        return False  # "asal Samarinda, Dewi": a place inside a description, not a post
    if not _institution(text, registry) or _institution(nxt, registry):
        return False
    names = [w for w in _words(nxt) if _is_name_word(w)]
    return len(names) >= 2 and _SET_OFF_VERB.match(masked, nxt_end) is not None


def _lower_case_role(masked: str, start: int) -> int | None:
    """Where a lower-case role before a capitalised run starts: "anggota Bawaslu", "anggota
    majelis DKPP", "hakim ketua"; None when there is none."""
    opening = _SENTENCE_ROLE_BEFORE.search(masked, max(0, start - 50), start)
    if opening and opening.group(1).lower() in ROLE_WORDS:
        before = masked[max(0, opening.start() - 2) : opening.start()]
        if not before.strip(" ") or before.rstrip(" ").endswith((".", "\n")):
            return opening.start()  # "Pelatih tunggal putra Indonesia Rionny" opens a sentence
    match = _LOWER_RUN_BEFORE.search(masked, max(0, start - 40), start)
    if match is None:
        return None
    words = list(_LOWER_WORD.finditer(match.group(1)))
    if words and words[-1].group() in ROLE_WORDS:
        return match.start(1) + words[-1].start()
    if len(words) >= 2 and words[-2].group() in ROLE_WORDS and words[-1].group() in ROLE_TAILS:
        return match.start(1) + words[-2].start()
    return None


def _initials_of_a_name(masked: str, text: str) -> bool:
    """ "kata AH" after "Andi Harun (AH)": initials the article gave a person's name, not an
    institution's ("Komisi Pemilihan Umum (KPU)")."""
    short = text.strip(" .,")
    if not short.isupper() or not 2 <= len(short) <= 4 or f"({short})" not in masked:
        return False
    for match in re.finditer(rf"((?:[A-Z][\w'’]*[ \t]+){{{len(short)}}})\({short}\)", masked):
        words = match.group(1).split()
        if "".join(w[0] for w in words) == short and not any(
            is_institution_word(w, frozenset()) or _is_role(w) for w in words
        ):
            return True
    return False


def _institution(text: str, registry: Registry) -> bool:
    """A run of acronyms, institution words and places that names no one: "KPU Kaltim"."""
    words = _words(text)
    if not words or not all(is_institution_word(w, registry.places) for w in words):
        return False
    lowered = [w.lower() for w in words]
    return not any(
        all(any(similar(w, n) for n in p.names) or initials_match(w, p.names) for w in lowered)
        for p in registry.people
        if p.names
    )


def _common_noun(
    masked: str, text: str, start: int, registry: Registry, lower_words: frozenset[str]
) -> bool:
    """One capitalised word opening a sentence that the article also writes in lower case."""
    if " " in text.strip() or text.strip(" .,").lower() not in lower_words:
        return False
    before = masked[max(0, start - 3) : start]
    if before.strip() not in {"", "."} and not before.endswith("\n"):
        return False
    return registry.find([text], start) is None


def _rank_references(masked: str, registry: Registry) -> list[Mention]:
    """ "Perwira menengah Polri itu menambahkan": the last officer (a person with a rank)."""
    found: list[Mention] = []
    if "erwira" not in masked:
        return found
    for match in _RANK_REFERENCE.finditer(masked):
        if match.group(1).lower() not in SPEECH_VERBS:
            continue
        officers = [
            (max(seen), person)
            for person in registry.people
            if person.words & RANKS and (seen := [m for m in person.mentions if m < match.start()])
        ]
        if officers:
            person = max(officers, key=lambda o: o[0])[1]
            person.mentions.append(match.start())
            found.append(Mention(person, match.start(), match.end()))
    return found
