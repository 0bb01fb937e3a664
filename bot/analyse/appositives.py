"""Phrases Indonesian news builds around a person's name.

- Academic degrees after a name ("Dr. Ahmad Sulaiman, S.Sos, M.Si, mengatakan") are not names.
- A lower-case description between an attribution verb and the name is the person's role
  ("kata calon wali kota nomor urut 1 Rahmad Mas'ud usai pengundian").
- An appositive after a name keeps the name as the subject ("Nadia, mahasiswi Universitas
  Kutai Kartanegara, mengaku ..."; "Hj Siti Aminah asal Long Ikis, mengaku ...").
- A sentence-initial description set off by commas is the role of the name it introduces
  ("Calon ketua terpilih, Andi Saputra, berjanji ...").
"""

from __future__ import annotations

import re

from bot.analyse.vocabulary import (
    ATTRIBUTION_VERBS,
    CALENDAR_WORDS,
    CLAUSE_WORDS,
    SENTENCE_OPENERS,
)

_DEGREE = (
    r"(?:[SMD]\.[A-Z][A-Za-z]*(?:\.[A-Za-z]+)*\.?|Ph\.?D\.?|Lc|MA|SE|SH|MH|MM|MS|ST|MT|SP|SKM|"
    r"SIP|SKom|SPd|MPd|MSi|MAP|MAg|Ak|CPA)"
)
_DEGREES = re.compile(
    rf"(?<=[\w.]),[ \t]*{_DEGREE}(?:[ \t]*,[ \t]*{_DEGREE})*(?=[ \t]*[,.;\n]|[ \t]+[a-z]|$)"
)
_TOKEN = re.compile(r"\S+")
_CLAUSE_BREAK = re.compile(r"[.;:!?\n“”\"()]")
_CLAUSE_END = re.compile(
    r"[ \t]*(?:[,.;:!?\n)]|$)|[ \t]+(?:di|kepada|saat|usai|seusai|ketika|dalam|pada|sambil|"
    r"dengan|selaku|sebagai|melalui|lewat|via)\b"
)
_COMMA_NAME = re.compile(r"[ \t]*,[ \t]*([A-Z][\w'’\-]*)")
_APPOSITIVE = re.compile(r"[ \t]*,?[ \t]*[a-z][^,.;:\n“”\"]{0,80},[ \t]*(\w+)(?:[ \t]+(\w+))?")
_LEADING_ROLE = re.compile(
    r"(?:^|(?<=[.\n]))[ \t]*(?P<role>[A-Z][\w\-]*(?:[ \t]+[\w\-]+){0,6})[ \t]*,[ \t]*$"
)


def blank_degrees(text: str) -> str:
    """The text with degree lists after names blanked out (offsets kept)."""
    return _DEGREES.sub(lambda m: " " * len(m.group()), text)


def described_role(masked: str, start: int, end: int) -> int | None:
    """Where the description before a name introduced by "kata"/"ujar" starts, if any."""
    if not _CLAUSE_END.match(masked, end):
        return None
    window = max(0, start - 100)
    before = masked[window:start]
    segment = _CLAUSE_BREAK.split(before)[-1]
    words = list(_TOKEN.finditer(segment))
    verb = next(
        (i for i in range(len(words) - 1, -1, -1) if words[i].group().lower() in ATTRIBUTION_VERBS),
        None,
    )
    if verb is None or verb == len(words) - 1:
        return None
    role = [w.group() for w in words[verb + 1 :]]
    if any("," in w for w in role[:-1]) or not any(w[:1].islower() for w in role):
        return None  # "kata Ketua KPU": a capitalised run the role rule already handles
    if any(w.strip(",").lower() in CLAUSE_WORDS for w in role):
        return None
    after = _COMMA_NAME.match(masked, end)
    if after and after.group(1).lower() not in CALENDAR_WORDS:
        return None  # "ujar pelatih Indonesia, Eng Hian": the name after the comma
    return window + len(before) - len(segment) + words[verb + 1].start()


def appositive_verb(masked: str, end: int) -> tuple[str, str, int] | None:
    """ "Nadia, mahasiswi X, mengaku": the two words after the appositive and its end."""
    match = _APPOSITIVE.match(masked, end)
    if match is None:
        return None
    return match.group(1).lower(), (match.group(2) or "").lower(), match.start(1)


def leading_role(masked: str, start: int, end: int) -> int | None:
    """Where "Calon ketua terpilih, " starts before "Andi Saputra," (a role set off by commas)."""
    if not masked.startswith(",", end) and not re.match(r"[ \t]*,", masked[end : end + 3]):
        return None
    match = _LEADING_ROLE.search(masked, max(0, start - 60), start)
    if match is None:
        return None
    first = match.group("role").split()[0].lower()
    if first in SENTENCE_OPENERS or first in CALENDAR_WORDS:
        return None
    return match.start("role")
