"""Election relevance: taxonomy hits judged in their context, summed into a score with reasons.

Rules, in order, for each term found in the title or the text:
  1. "mirip pemilu", "seperti pemilihan umum": a comparison, worth nothing.
  2. next to a non-public election ("Pemilu OSIS", "pemilihan ketua RT"): worth nothing.
  3. when a non-public election frames the whole article (RT/RW, OSIS, team captain...), its
     procedure words (TPS, surat suara, calon) belong to it: worth nothing; election bodies and
     events count at ``frame_factor`` unless a year marks a real election ("Pemilu 2029").
  4. an ambiguous word counts for relevance near an election context word, against it near a
     context from `against` (the nearer wins). Alone, a title word takes the verdict the text
     gives its topic (titles are too short to hold their own context), and a text word counts
     half when the article has an unambiguous election term; otherwise it counts nothing.
An object the article shows being elected ("Pemilihan kepala desa (pilkades)") frames its other
mentions too ("Pilkades serentak" in the title). An acronym the article spells out as something
that holds no election term ("tempat pembuangan sampah sementara (TPS)") weighs nothing there.
A non-public object that is part of a term's own phrase or one of its context words ("kepala
desa netral") does not make the term part of a non-public election. Counter-evidence next to an
election body or event ("dana hibah pilkada") is election funding, not a party's, and weighs
nothing.
A title hit weighs ``title_weight``, a hit in the first two sentences ``lead_weight``. Repeats of
one term add less and less (1, 1/2, 1/3...), so one word repeated cannot carry an article.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

from bot.analyse.taxonomy import Taxonomy, Term
from bot.analyse.tokens import Doc, Hit, is_acronym, near
from bot.models import Reason

Where = Literal["title", "text"]
_YEAR = re.compile(r"^(19|20)\d\d$")
_ADJACENT = 3  # tokens: "Pemilu OSIS", "mirip dengan pemilu"
FRAME_TOPIC = "bingkai"
NEGATIVE_TOPIC = "tandingan"
NO_CONTEXT = "tanpa konteks pemilu"
DOC_CONTEXT = "konteks pemilu di bagian lain berita"


@dataclass(frozen=True, slots=True)
class Relevance:
    is_election: bool
    score: float
    reasons: tuple[Reason, ...]
    topics: tuple[str, ...]
    hashtags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Hit:
    term: str
    topic: str
    where: Where
    matched: str
    weight: float
    note: str
    kind: str = ""
    year: str | None = None
    base: float = 0.0  # the weight the term would have with election context
    named: bool = False  # a frame object right after its selection word: "pemilihan ketua RT"
    loose: bool = False  # a frame object with no selection word near it


@dataclass(frozen=True, slots=True)
class _Part:
    where: Where
    doc: Doc
    lead_end: int  # character offset; hits before it weigh lead_weight (text only)


def assess(title: str, text: str, lead_end: int, tax: Taxonomy) -> Relevance:
    """Score one article against the taxonomy."""
    parts = (
        _Part("title", tax.lexicon.doc(title), 0),
        _Part("text", tax.lexicon.doc(text), lead_end),
    )
    selected: list[_Hit] = []
    loose: list[_Hit] = []
    for part in parts:
        for hit in _frame_hits(part, tax):
            (loose if hit.loose else selected).append(hit)
    frame_hits = _established(selected, loose)
    frame = _dominant_frame(frame_hits, tax)
    redefined = _redefined_acronyms(parts[1].doc, tax)
    hits = [h for p in parts for h in _term_hits(p, tax, frame, redefined)]
    strong = any(h.weight > 0 and h.kind != "ambiguous" for h in hits)
    hits = _borrow_context(hits, strong)
    hits += [h for p in parts for h in _negative_hits(p, tax)]
    if frame:
        hits += [replace(h, weight=h.weight * tax.frame_weight) for h in frame_hits]
    reasons = _aggregate(hits)
    score = round(sum(r.weight for r in reasons), 2)
    topics = _topics(reasons)
    return Relevance(
        is_election=score >= tax.threshold and strong,
        score=score,
        reasons=reasons,
        topics=topics,
        hashtags=_hashtags(topics, hits, tax),
    )


def _multiplier(part: _Part, start: int, tax: Taxonomy) -> float:
    if part.where == "title":
        return tax.title_weight
    return tax.lead_weight if part.doc.spans[start][0] < part.lead_end else 1.0


def _frame_hits(part: _Part, tax: Taxonomy) -> Iterator[_Hit]:
    """Non-public election objects (RT, OSIS, kapten); `loose` when no selection word is near."""
    selectors = tax.frame_selectors.positions(part.doc)
    for hit in tax.frame_objects.scan(part.doc):
        loose = near(selectors, hit.start, hit.end, tax.window) is None
        matched = part.doc.span_text(hit.start, hit.end)
        note = f"bingkai pemilihan non-publik ({hit.payload})"
        weight = -_multiplier(part, hit.start, tax)
        named = any(hit.start - _ADJACENT <= p < hit.start for p in selectors)
        yield _Hit(
            hit.payload,
            FRAME_TOPIC,
            part.where,
            matched,
            weight,
            note,
            "frame",
            named=named,
            loose=loose,
        )


def _established(selected: list[_Hit], loose: list[_Hit]) -> list[_Hit]:
    """Once the article has shown an object being elected ("Pemilihan kepala kampung
    (pilkades)"), its other mentions ("Pilkades serentak" in the title) are that frame too."""
    shown = {h.matched.lower() for h in selected if h.named}
    return selected + [h for h in loose if h.matched.lower() in shown]


def _redefined_acronyms(doc: Doc, tax: Taxonomy) -> frozenset[str]:
    """Acronyms the article spells out as something else: "tempat pembuangan sampah
    sementara (TPS)" is not a polling station, so its TPS weighs nothing."""
    found: set[str] = set()
    for match in _BRACKETED.finditer(doc.text):
        i = doc.by_surface.get(match.group(1), [])
        at = next((j for j in i if doc.spans[j][0] == match.start(1)), None)
        if at is None or not is_acronym(match.group(1)):
            continue
        first = _long_form_start(doc, at, match.group(1))
        if first is None:
            continue
        long_form = doc.text[doc.spans[first][0] : doc.spans[at - 1][1]]
        if not tax.term_phrases.scan(tax.lexicon.doc(long_form)):
            found.add(match.group(1))
    return frozenset(found)


_BRACKETED = re.compile(r"\(([A-Z][A-Z0-9]{1,7})\)")


def _long_form_start(doc: Doc, at: int, acronym: str) -> int | None:
    """Where the words whose initials spell `acronym` start, just before it; None if none."""
    letters = acronym.lower()
    for first in range(at - 1, max(-1, at - len(letters) - 4), -1):
        initials = "".join(w[0].lower() for w in doc.surfaces[first:at])
        if initials[0] == letters[0] and _subsequence(letters, initials):
            return first
    return None


def _subsequence(short: str, long: str) -> bool:
    remaining = iter(long)
    return all(ch in remaining for ch in short)


def _dominant_frame(frame_hits: list[_Hit], tax: Taxonomy) -> str | None:
    strength: defaultdict[str, float] = defaultdict(float)
    for hit in frame_hits:
        strength[hit.term] -= hit.weight
    if not strength:
        return None
    label, total = max(strength.items(), key=lambda item: item[1])
    return label if total >= tax.frame_min else None


def _negative_hits(part: _Part, tax: Taxonomy) -> Iterator[_Hit]:
    elections = [h for h in tax.term_phrases.scan(part.doc) if h.payload.kind in ("event", "body")]
    for hit in tax.negative_phrases.scan(part.doc):
        negative = hit.payload
        weight = negative.weight * _multiplier(part, hit.start, tax)
        matched = part.doc.span_text(hit.start, hit.end)
        note = negative.label
        beside = _adjacent(hit.start, elections)
        if beside is not None:
            span = (min(hit.start, beside.start), max(hit.end, beside.end))
            weight, note = 0.0, f"milik penyelenggaraan pemilu: '{part.doc.span_text(*span)}'"
        yield _Hit(negative.label, NEGATIVE_TOPIC, part.where, matched, weight, note)


def _adjacent(start: int, others: list[Hit[Term]]) -> Hit[Term] | None:
    return next((o for o in others if o.start - _ADJACENT <= start < o.end + _ADJACENT), None)


def _borrow_context(hits: list[_Hit], strong: bool) -> list[_Hit]:
    """Ambiguous words with no context of their own, judged by the rest of the article."""
    verdict: defaultdict[str, float] = defaultdict(float)
    for hit in hits:
        if hit.where == "text" and hit.kind != "frame":
            verdict[hit.topic] += hit.weight
    judged = []
    for hit in hits:
        if hit.note != NO_CONTEXT:
            judged.append(hit)
        elif hit.where == "title" and verdict[hit.topic]:
            sign = 1.0 if verdict[hit.topic] > 0 else -1.0
            note = "konteks dari isi berita" if sign > 0 else "isi berita menyangkal"
            judged.append(replace(hit, weight=sign * hit.base, note=note))
        elif strong:
            judged.append(replace(hit, weight=round(hit.base / 2, 3), note=DOC_CONTEXT))
        else:
            judged.append(hit)
    return judged


def _term_hits(
    part: _Part, tax: Taxonomy, frame: str | None, redefined: frozenset[str] = frozenset()
) -> Iterator[_Hit]:
    doc = part.doc
    lowers = [s.lower() for s in doc.surfaces]
    objects = tax.frame_objects.scan(doc)
    contexts: dict[str, tuple[list[int], list[tuple[int, str]]]] = {}
    for hit in tax.term_phrases.scan(doc):
        term: Term = hit.payload
        matched = doc.span_text(hit.start, hit.end)
        year = _year_after(doc, hit.end) if term.kind == "event" else None
        if term.kind == "ambiguous" and term.term not in contexts:
            contexts[term.term] = _contexts(doc, term, tax)
        weight, note = _judge(part, hit, term, year, frame, objects, lowers, contexts, tax)
        if matched in redefined:
            weight, note = 0.0, f"singkatan dengan arti lain di berita ini: '{matched}'"
        base = term.weight * _multiplier(part, hit.start, tax)
        yield _Hit(
            term.term,
            term.topic,
            part.where,
            matched,
            round(weight, 3),
            note,
            term.kind,
            year,
            base,
        )


def _contexts(doc: Doc, term: Term, tax: Taxonomy) -> tuple[list[int], list[tuple[int, str]]]:
    pro = tax.context_phrases[term.term].positions(doc)
    against = tax.against_phrases.get(term.term)
    con = [(h.start, h.payload) for h in against.scan(doc)] if against else []
    return pro, con


def _judge(
    part: _Part,
    hit: Hit[Term],
    term: Term,
    year: str | None,
    frame: str | None,
    objects: list[Hit[str]],
    lowers: list[str],
    contexts: dict[str, tuple[list[int], list[tuple[int, str]]]],
    tax: Taxonomy,
) -> tuple[float, str]:
    """The weight of one term hit and, when it is not the plain weight, why."""
    doc = part.doc
    comparison = _comparison_before(lowers, hit.start, tax)
    if comparison and term.kind != "body":
        return 0.0, f"perbandingan: '{comparison} {doc.span_text(hit.start, hit.end)}'"
    own = contexts[term.term][0] if term.kind == "ambiguous" else []
    neighbour = next(
        (
            o
            for o in objects
            if o.start - _ADJACENT <= hit.start < o.end + _ADJACENT
            and not (o.start < hit.end and hit.start < o.end)
            and o.start not in own
        ),
        None,
    )
    if neighbour is not None and term.kind != "civic":
        span = (min(hit.start, neighbour.start), max(hit.end, neighbour.end))
        return 0.0, f"bagian dari pemilihan non-publik: '{doc.span_text(*span)}'"
    if frame and term.kind in ("procedure", "ambiguous"):
        return 0.0, f"bingkai pemilihan non-publik ({frame})"
    base = term.weight * _multiplier(part, hit.start, tax)
    if frame and term.kind in ("event", "body") and not year:
        base *= tax.frame_factor
    if term.kind != "ambiguous":
        return base, ""
    pro, con = contexts[term.term]
    return _judge_ambiguous(doc, hit.start, hit.end, base, pro, con, tax.window)


def _judge_ambiguous(
    doc: Doc,
    start: int,
    end: int,
    base: float,
    context: list[int],
    against: list[tuple[int, str]],
    window: int,
) -> tuple[float, str]:
    def distance(p: int) -> int:
        return start - p if p < start else p - end + 1

    pro = [p for p in context if not start <= p < end and distance(p) <= window]
    con = [(p, label) for p, label in against if not start <= p < end and distance(p) <= window]
    best_pro = min(pro, key=distance, default=None)
    best_con = min(con, key=lambda c: distance(c[0]), default=None)
    if best_con and (best_pro is None or distance(best_con[0]) <= distance(best_pro)):
        p, label = best_con
        return -base, f"konteks {label}: '{doc.span_text(*sorted((start, p)))}'"
    if best_pro is not None:
        return base, f"konteks pemilu: '{doc.surfaces[best_pro]}'"
    return 0.0, NO_CONTEXT


def _comparison_before(lowers: list[str], start: int, tax: Taxonomy) -> str | None:
    for word in lowers[max(0, start - 4) : start]:
        if word in tax.comparison_words:
            return word
    return None


def _year_after(doc: Doc, end: int) -> str | None:
    for surface in doc.surfaces[end : end + 3]:
        if _YEAR.match(surface):
            return surface
    return None


def _aggregate(hits: list[_Hit]) -> tuple[Reason, ...]:
    """One Reason per (term, where, note kind); repeats add 1, 1/2, 1/3... of their weight."""
    groups: dict[tuple[str, str, str, bool], list[_Hit]] = defaultdict(list)
    for hit in hits:
        groups[(hit.term, hit.where, hit.note.split(":")[0], hit.weight > 0)].append(hit)
    reasons = []
    for group in groups.values():
        ordered = sorted(group, key=lambda h: -abs(h.weight))
        weight = sum(h.weight / (rank + 1) for rank, h in enumerate(ordered))
        first = ordered[0]
        reasons.append(
            Reason(
                term=first.term,
                topic=first.topic,
                where=first.where,
                matched=first.matched,
                weight=round(weight, 2),
                count=len(group),
                note=first.note,
            )
        )
    reasons.sort(key=lambda r: (-abs(r.weight), r.where != "title", r.term))
    return tuple(reasons)


def _topics(reasons: tuple[Reason, ...]) -> tuple[str, ...]:
    totals: defaultdict[str, float] = defaultdict(float)
    for reason in reasons:
        if reason.weight > 0:
            totals[reason.topic] += reason.weight
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    return tuple(topic for topic, _ in ranked)


def _hashtags(topics: tuple[str, ...], hits: list[_Hit], tax: Taxonomy) -> tuple[str, ...]:
    years: dict[str, Counter[str]] = defaultdict(Counter)
    for hit in hits:
        if hit.year and hit.weight > 0:
            years[hit.topic][hit.year] += 1
    tags: list[str] = []
    events_first = sorted(
        topics, key=lambda t: not (t in tax.topics and tax.topics[t].year_hashtag)
    )
    for topic in events_first:
        spec = tax.topics.get(topic)
        if spec is None or not spec.hashtag:
            continue
        tag = spec.hashtag
        if spec.year_hashtag and years[topic]:
            tag += years[topic].most_common(1)[0][0]
        if tag not in tags:
            tags.append(tag)
    return tuple(tags[:4])
