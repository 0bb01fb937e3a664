"""A mention split into role and name: "Ketua KPU Kukar Dr. H. Rudi Gunawan, S.H." is the role
"Ketua KPU Kukar" and the name "Rudi Gunawan".

The name is the run of words at the end of the mention, after the last role word, acronym,
honorific, place or field of an office ("Bidang Politik dan Keamanan Budi Gunawan"); "bin",
"binti" and dotted initials stay inside it ("Syamsul Bahri bin Lahamma", "Alex F.L. Tobing").
Nicknames ("Joko Widodo (Jokowi)", "(Bang Zul)", "Munafri 'Appi' Arifuddin") are not part of
the name but name the same person. Places are the article's own: a word written after
"Kabupaten", "Kota", "di" ... or after an institution ("KPU Paser", "Bawaslu Kukar"), and the
regions news writes in short ("Kaltim", "Kukar").
"""

from __future__ import annotations

import re

from bot.analyse.vocabulary import (
    HONORIFICS,
    NAME_INITIALS,
    ORG_WORDS,
    REGIONS,
    ROLE_WORDS,
    SPEECH_VERBS,
)

_RUN_ENDS = r"(?=[ \t]*[,.;:\n)]|[ \t]+[a-z(]|[ \t]*$)"
# "di Kabupaten Kutai Kartanegara,", "Kota Makassar." : a place, then no name.
_PLACE_AFTER = re.compile(
    r"\b(?:[Kk]abupaten|[Kk]ab\.|[Kk]ota|[Pp]rovinsi|[Kk]ecamatan|[Dd]esa|[Kk]elurahan|di|ke|"
    rf"dari)[ \t]+((?:[A-Z][\w'’\-]*)(?:[ \t]+[A-Z][\w'’\-]*)?){_RUN_ENDS}"
)
_WALI_KOTA = re.compile(r"\b[Ww]ali[ \t]+[Kk]ota[ \t]+$")  # "Wali Kota Samarinda Andi Harun"
# "KPU Paser menggelar", "(PPK) Sungai Kunjang merampungkan", "Bawaslu Kukar.": an institution,
# then its place, then no name.
_INSTITUTION_PLACE = re.compile(
    r"\b(?:[A-Z]{2,}[a-z]?|Bawaslu|Polres|Polresta|Polda|Pemkab|Pemkot|Pemprov|"
    r"Setda|Setkab|Kemenag|Disdukcapil|Diskominfo|Dinkes|Dinsos|Disdik|Kesbangpol)\)?[ \t]+"
    rf"((?:[A-Z][\w'’\-]*)(?:[ \t]+[A-Z][\w'’\-]*)?){_RUN_ENDS}"
)
# Shortened offices written as one word: "Mendagri", "Kadisbudpar", "Kasatreskrim".
_OFFICE = re.compile(
    r"^(?:Men[b-df-hj-np-tv-z]|Menko|Wamen|Kadis|Kasat|Kapol|Kabag|Kabid|Kasubag|Kakan|Kanit|Kapus|Kades|"
    r"Danr|Dand|Sekj|Sekd|Wakapol|Wakasek|Kasi[A-Z]|Karo[A-Z])"
)
# Institutions written as one shortened word: "Kemendagri", "Pemkab", "Disdukcapil", "Kanwil".
_INSTITUTION = re.compile(
    r"^(?:Kemen[a-z]{2,}|Pem(?:kab|kot|prov|da)|Polres(?:ta)?|Polda|Polsek|Kodim|Korem|Kodam|"
    r"Kanwil|Setda(?:prov)?|Setwan|Bappeda|Bapenda|Satpol|Dis(?:kominfo|dukcapil|hub|par|dik|"
    r"dikbud|kes|sos|pora|perkim|pupr|nakertrans|pmd|perindag|ketapang|lh))$"
)
_INITIALS = re.compile(r"^(?:[A-Z]\.){1,2}[A-Z]\.?$")  # "Alex F.L. Tobing": initials inside a name
_NEXT_WORD = re.compile(r"[ \t]*,?[ \t]*(?:juga[ \t]+|pun[ \t]+)?(\w+)")
_DATELINE_WORDS = re.compile(r"^[ \t]*([A-Z]{3,}(?:[ \t]+[A-Z]{3,}){0,2})\b")
_NICKNAME = re.compile(r"^['‘\"“(].*['’\"”)]$")
# "Ahmad Zulkarnain (Bang Zul)": a nickname of several words in brackets after the name.
_TRAILING_NICKNAME = re.compile(r"[ \t]*\([^()]*\)[ \t,.]*$")
# Lower-case words inside a name: "Syamsul Bahri bin Lahamma", "Siti binti Umar".
_NAME_JOINERS = {"bin", "binti", "van", "von", "de", "da"}
# Institutions whose own name follows them: "Universitas Mulawarman", "Desa Loa Duri".
_NAMED_ORGS = {"universitas", "institut", "sekolah", "desa", "kelurahan", "kecamatan", "kampung"}
_RANK_CORPS = {"tni", "polri", "pol"}  # "Jenderal TNI": the corps after a rank
_SYNONYMS = {"komisioner": "anggota", "walikota": "wali", "wabup": "wakil", "wagub": "wakil"}


def canonical(word: str) -> str:
    """A role word as compared: "komisioner KPU" is "anggota KPU"."""
    lower = word.lower()
    return _SYNONYMS.get(lower, lower)


def place_words(text: str) -> frozenset[str]:
    """Lower-case words the article uses as places (never the start of a person's name)."""
    found: set[str] = set()
    for pattern in (_PLACE_AFTER, _INSTITUTION_PLACE):
        for match in pattern.finditer(text):
            after = _NEXT_WORD.match(text, match.end())
            if after and after.group(1) in SPEECH_VERBS:
                continue  # "XII Nur Aisyah mengaku": a person speaking, not a place
            if pattern is _PLACE_AFTER:
                if _WALI_KOTA.search(text, 0, match.start(1)):
                    continue  # "Wali Kota Samarinda Andi Harun": an office, then a name
            elif _inside_role(text, match.start()):
                continue
            found.update(w.lower() for w in match.group(1).split())
    dateline = _DATELINE_WORDS.match(text)
    if dateline:
        found.update(w.lower() for w in dateline.group(1).split())
    return frozenset(found)


def _inside_role(text: str, at: int) -> bool:
    """ "Ketua DKPP Heddy Lugito", "Wali Kota Samarinda Andi Harun", "AKBP Hendra": the words
    after the institution are a person's name, not a place."""
    if is_honorific(text[at : at + 5].split(" ", 1)[0]):
        return True
    for word in reversed(text[max(0, at - 80) : at].split()):
        if word.lower() in ROLE_WORDS:
            return True
        if not word[:1].isupper():
            return False
    return False


def _bare(token: str) -> str:
    return token.strip("().,;:'‘’\"“”")


def is_honorific(token: str) -> bool:
    """ "Dr.", "H.", "K.H.", "Hj", "Prof", "Pak", "AKBP"."""
    return _bare(token).replace(".", "").lower() in HONORIFICS


def _ends_role(token: str, places: frozenset[str]) -> bool:
    bare = _bare(token)
    lower = bare.lower()
    return (
        not bare[:1].isupper()
        or lower in ROLE_WORDS
        or lower in places
        or lower in REGIONS
        or lower in ORG_WORDS
        or _INSTITUTION.match(bare) is not None
        or (bare.isupper() and len(bare.replace(".", "")) > 1 and not _INITIALS.match(bare))
        or token.startswith("(")
        or token.endswith(")")
    )


def is_office(word: str) -> bool:
    """ "Mendikdasmen", "Kadisdik", "Kapolresta": an office written as one word."""
    return bool(_OFFICE.match(word))


def is_institution_word(word: str, places: frozenset[str]) -> bool:
    """ "KPU", "Bawaslu"-like words: an acronym, an institution word or a place."""
    bare = _bare(word)
    lower = bare.lower()
    return (
        (bare.isupper() and len(bare) > 1)
        or _INSTITUTION.match(bare) is not None
        or lower in ORG_WORDS
        or lower in REGIONS
        or lower in places
    )


def split_mention(
    text: str, places: frozenset[str] = frozenset(), common: frozenset[str] = frozenset()
) -> tuple[str | None, str | None]:
    """(role, name) of a mention; either may be None. Honorifics belong to neither.

    `common` holds the words the article also writes in lower case: the first word of a long
    name that is one of them is the end of the office ("Bidang Politik dan Keamanan Budi
    Gunawan", "Sekretaris Kabinet Pramono Anung").
    """
    if " " in text.strip():
        text = _TRAILING_NICKNAME.sub("", text)  # "Joko Widodo (Jokowi)", "(Bang Zul)"
    tokens = text.split()
    while tokens and _NICKNAME.match(tokens[-1]):
        tokens.pop()  # "Munafri Arifuddin 'Appi'"
    first = len(tokens)  # index of the name's first word
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        if _NICKNAME.match(token) and first < len(tokens):
            continue  # "Munafri 'Appi' Arifuddin"
        if _is_joiner(tokens, i, first):
            continue  # "Syamsul Bahri bin Lahamma"
        if is_honorific(token) or _ends_role(token, places):
            break
        if token.endswith(",") and first < len(tokens):
            break  # "Koordinator Gabdem, Guntur Harahap"
        first = i
    first = _from_initial(tokens, first)
    first = _past_office_words(tokens, first, common)
    if first > 0 and len(tokens) - first >= 3 and _bare(tokens[first - 1]).lower() in _NAMED_ORGS:
        first += 1  # "Universitas Mulawarman Saipul Bahtiar"
    if first == 1 and len(tokens) > 2 and _OFFICE.match(tokens[0]):
        pass  # "Mendagri Tito Karnavian": the office is already outside the name
    elif first == 0 and len(tokens) > 1 and _OFFICE.match(tokens[0]):
        first = 1
    name = [t.rstrip(",") for t in tokens[first:] if not _NICKNAME.match(t)]
    i = first - 1
    while i >= 0 and (
        is_honorific(tokens[i])
        or _bare(tokens[i]) in {"", "dan"}
        or (i > 0 and _bare(tokens[i]).lower() in _RANK_CORPS and is_honorific(tokens[i - 1]))
    ):
        i -= 1  # "Jenderal TNI (Purn.)", "Kombes Pol": a rank, not the office
    role = " ".join(tokens[: i + 1])
    return (role.strip(" ,") or None), (_tidy_name(" ".join(name)) or None)


def _is_joiner(tokens: list[str], i: int, first: int) -> bool:
    """ "bin" between two capitalised words of the name being read."""
    return (
        tokens[i] in _NAME_JOINERS
        and first == i + 1
        and i > 0
        and tokens[i - 1][:1].isupper()
        and not _ends_role(tokens[i - 1], frozenset())
    )


def _past_office_words(tokens: list[str], first: int, common: frozenset[str]) -> int:
    """A long name's first word that the article writes in lower case ends the office."""
    while len(tokens) - first >= 3 and _bare(tokens[first]).lower() in common:
        first += 1
    return first


def _from_initial(tokens: list[str], first: int) -> int:
    """ "Persiba M. Nasuha" -> "M. Nasuha": a name starts at its leading initial."""
    for i in range(first + 1, len(tokens) - 1):
        if _bare(tokens[i]).rstrip(".").lower() in NAME_INITIALS:
            return i
    return first


def _tidy_name(name: str) -> str:
    name = name.strip(" ,;:")
    if name.endswith(".") and len(name.rsplit(" ", 1)[-1]) > 3:
        name = name[:-1]  # the sentence's full stop, not an initial's
    return name


def initials_match(short: str, names: list[str]) -> bool:
    """ "ip" for ["herry", "iman", "pierngadi"]: the initials of consecutive name words."""
    if not 2 <= len(short) <= 4 or len(names) < len(short):
        return False
    initials = "".join(n[0] for n in names if n)
    return short in initials
