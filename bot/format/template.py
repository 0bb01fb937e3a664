"""Post layouts: ``string.Template`` text with $headline $lead $quotes $source $hashtags.

A template is Telegram HTML around the placeholders; each placeholder is replaced with an
already rendered (escaped) HTML block, or with nothing when the post has no such block. Blank
lines left by empty blocks are folded, so one layout serves posts with and without a lead,
quotes or a source.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from string import Template

import yaml

from bot.format.html import HtmlError, validate, visible_length

PLACEHOLDERS = ("headline", "lead", "quotes", "source", "hashtags")
DEFAULT_TEMPLATE = "$headline\n\n$lead\n\n$quotes\n\n$source\n$hashtags"
# The template's own text must leave room for the news even in a 1024-character caption.
MAX_TEMPLATE_TEXT = 300

_BLANK_LINES = re.compile(r"(?:[ \t]*\n){3,}")
_TRAILING_SPACES = re.compile(r"[ \t]+\n")
# An element left empty by an empty block, e.g. "<blockquote></blockquote>" without quotes.
_EMPTY_ELEMENT = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?>\s*</\1\s*>")
_SAMPLE_BLOCK = "<i>x</i>"


def check_template(template: str) -> None:
    """Raise ValueError, in words an operator can act on, when ``template`` cannot be used."""
    parsed = Template(template)
    invalid = _invalid_dollar(parsed)
    if invalid is not None:
        raise ValueError(
            f"template: '$' tanpa nama placeholder yang sah di posisi {invalid}; "
            "tulis $$ untuk tanda dolar"
        )
    names = parsed.get_identifiers()
    for name in names:
        if name not in PLACEHOLDERS:
            raise ValueError(
                f"template: placeholder tidak dikenal ${name} (yang tersedia: {_known()})"
            )
    if "headline" not in names:
        raise ValueError("template harus memuat $headline: judul berita tidak boleh hilang")
    try:
        validate(parsed.substitute(dict.fromkeys(PLACEHOLDERS, _SAMPLE_BLOCK)))
    except HtmlError as exc:
        raise ValueError(f"template bukan HTML Telegram yang sah: {exc}") from None
    own_text = visible_length(parsed.substitute(dict.fromkeys(PLACEHOLDERS, "")))
    if own_text > MAX_TEMPLATE_TEXT:
        raise ValueError(
            f"template terlalu panjang: {own_text} karakter teks sendiri "
            f"(maksimum {MAX_TEMPLATE_TEXT})"
        )


def fill(template: str, blocks: dict[str, str]) -> str:
    """The post: ``template`` with its placeholders replaced, empty elements and lines folded."""
    text = Template(template).substitute(blocks)
    while (emptied := _EMPTY_ELEMENT.sub("", text)) != text:
        text = emptied
    text = _TRAILING_SPACES.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def builtin_templates() -> dict[str, str]:
    """The named layouts shipped in bot/data/templates.yaml (name -> template)."""
    return dict(_load_builtin_templates())


@cache
def _load_builtin_templates() -> tuple[tuple[str, str], ...]:
    source = resources.files("bot.data").joinpath("templates.yaml").read_text(encoding="utf-8")
    loaded = yaml.safe_load(source) or {}
    return tuple((str(name), str(text)) for name, text in loaded.items())


def _invalid_dollar(parsed: Template) -> int | None:
    for match in parsed.pattern.finditer(parsed.template):
        if match.group("invalid") is not None:
            return match.start()
    return None


def _known() -> str:
    return " ".join(f"${name}" for name in PLACEHOLDERS)
