"""The election taxonomy: terms with weights and topics, contexts, frames and negatives.

The YAML shipped in ``bot/data/taxonomy.yaml`` is the default; a path overrides it. A bad file
raises :class:`TaxonomyError` naming the file and the field at fault.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.analyse.tokens import Lexicon, PhraseSet

Kind = Literal["event", "body", "procedure", "civic", "ambiguous"]


class TaxonomyError(ValueError):
    """The taxonomy file is missing, not YAML, or does not follow the schema."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Topic(_Model):
    label: str
    hashtag: str | None = None
    year_hashtag: bool = False  # "Pemilu2024" when a year follows the event name


class ContextGroup(_Model):
    label: str
    forms: list[str] = Field(min_length=1)


class Term(_Model):
    term: str
    topic: str
    kind: Kind
    weight: float = Field(gt=0)
    forms: list[str] = Field(min_length=1)
    context: list[str] = []  # ambiguous terms count only near one of these
    against: list[ContextGroup] = []  # ...and count against relevance near one of these

    @model_validator(mode="after")
    def _ambiguous_needs_context(self) -> Term:
        if self.kind == "ambiguous" and not self.context:
            raise ValueError(f"istilah ambigu {self.term!r} wajib punya 'context'")
        return self


class Frames(_Model):
    selectors: list[str] = Field(min_length=1)
    groups: list[ContextGroup] = Field(min_length=1)


class Negative(_Model):
    label: str
    weight: float = Field(lt=0)
    forms: list[str] = Field(min_length=1)


class Taxonomy(_Model):
    version: int = 1
    threshold: float = Field(gt=0)
    title_weight: float = Field(default=2.5, gt=0)
    lead_weight: float = Field(default=1.5, gt=0)
    window: int = Field(default=10, ge=1)
    frame_min: float = Field(default=3.0, gt=0)
    frame_factor: float = Field(default=0.5, ge=0, le=1)
    frame_weight: float = Field(default=0.5, ge=0)
    topics: dict[str, Topic] = Field(min_length=1)
    terms: list[Term] = Field(min_length=1)
    comparisons: list[str] = []
    frames: Frames | None = None
    negatives: list[Negative] = []

    @model_validator(mode="after")
    def _topics_exist(self) -> Taxonomy:
        unknown = sorted({t.topic for t in self.terms} - set(self.topics))
        if unknown:
            raise ValueError(f"topik tidak terdaftar di 'topics': {', '.join(unknown)}")
        return self

    # Compiled matchers, built on first use (Sastrawi stems every form once).
    @cached_property
    def term_phrases(self) -> PhraseSet[Term]:
        return PhraseSet((form, term) for term in self.terms for form in term.forms)

    @cached_property
    def context_phrases(self) -> dict[str, PhraseSet[str]]:
        return {t.term: PhraseSet((f, f) for f in t.context) for t in self.terms if t.context}

    @cached_property
    def against_phrases(self) -> dict[str, PhraseSet[str]]:
        return {
            t.term: PhraseSet((f, g.label) for g in t.against for f in g.forms)
            for t in self.terms
            if t.against
        }

    @cached_property
    def frame_selectors(self) -> PhraseSet[str]:
        forms = self.frames.selectors if self.frames else []
        return PhraseSet((f, f) for f in forms)

    @cached_property
    def frame_objects(self) -> PhraseSet[str]:
        groups = self.frames.groups if self.frames else []
        return PhraseSet((f, g.label) for g in groups for f in g.forms)

    @cached_property
    def negative_phrases(self) -> PhraseSet[Negative]:
        return PhraseSet((f, n) for n in self.negatives for f in n.forms)

    @cached_property
    def comparison_words(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.comparisons)

    @cached_property
    def lexicon(self) -> Lexicon:
        sets: list[PhraseSet[Any]] = [
            self.term_phrases,
            self.frame_selectors,
            self.frame_objects,
            self.negative_phrases,
            *self.context_phrases.values(),
            *self.against_phrases.values(),
        ]
        return Lexicon(stem for s in sets for stem in s.stems)


def parse_taxonomy(text: str, source: str = "<taxonomy>") -> Taxonomy:
    """Validate taxonomy YAML text; errors name `source` and the field."""
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{source}: bukan YAML yang sah: {exc}") from exc
    if not isinstance(data, dict):
        raise TaxonomyError(f"{source}: isi taksonomi harus berupa mapping YAML")
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(akar)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise TaxonomyError(f"{source}: taksonomi tidak sah: {problems}") from exc


def read_taxonomy(path: str | Path | None) -> Taxonomy:
    """Read the packaged taxonomy (None) or the file at `path`."""
    if path is None:
        from importlib import resources

        resource = resources.files("bot.data").joinpath("taxonomy.yaml")
        return parse_taxonomy(resource.read_text(encoding="utf-8"), "bot/data/taxonomy.yaml")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"{path}: tidak bisa dibaca: {exc.strerror or exc}") from exc
    return parse_taxonomy(text, str(path))
