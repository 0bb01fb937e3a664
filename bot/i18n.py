"""The text catalogue: every user-facing sentence, in Bahasa Indonesia first, English second."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

DEFAULT_LANGUAGE = "id"


CATALOGUE_FILES = ("texts.yaml", "texts_panel.yaml")  # the bot's, then the web panel's


@cache
def catalogue() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = {}
    for name in CATALOGUE_FILES:
        text = resources.files("bot.data").joinpath(name).read_text(encoding="utf-8")
        for language, texts in yaml.safe_load(text).items():
            data.setdefault(language, {}).update(texts)
    return data


def language_for(user_language: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """English for users whose Telegram speaks English; otherwise the configured language."""
    if user_language and user_language.lower().startswith("en"):
        return "en"
    return default if default in catalogue() else DEFAULT_LANGUAGE


def text(key: str, language: str = DEFAULT_LANGUAGE, **fields: Any) -> str:
    texts = catalogue()
    template = texts.get(language, {}).get(key) or texts[DEFAULT_LANGUAGE][key]
    return template.format(**fields) if fields else template
