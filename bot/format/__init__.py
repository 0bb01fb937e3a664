"""The format stage: an analysed article becomes a Telegram HTML post (pure, no I/O)."""

from __future__ import annotations

from functools import lru_cache

from bot.format.html import CAPTION_LIMIT, TEXT_LIMIT, to_plain_text, visible_length
from bot.format.post import fit, make_draft, prefer_short
from bot.format.template import DEFAULT_TEMPLATE, builtin_templates, check_template
from bot.models import Analysis, Post

__all__ = [
    "DEFAULT_TEMPLATE",
    "builtin_templates",
    "check_template",
    "render_post",
]


def render_post(
    *,
    title: str,
    link: str | None,
    source: str | None,
    analysis: Analysis,
    image: str | None = None,
    template: str | None = None,
) -> Post:
    """The post for one article, in Bahasa Indonesia, ready for ``parse_mode=HTML``.

    ``html`` always fits a message (4096 characters); with an ``image``, when the whole post
    fits a caption's 1024 characters, it comes as ``caption`` too (sent as a photo).
    ``template`` is a per-channel layout (see :mod:`bot.format.template`); None means the
    default. An unusable template raises ValueError.
    """
    layout = _checked(DEFAULT_TEMPLATE if template is None else template)
    draft = make_draft(title=title, link=link, source=source, analysis=analysis)
    draft = prefer_short(draft, layout)
    html = fit(draft, layout, TEXT_LIMIT)
    return Post(html=html, image=image, caption=html if image and fits_caption(html) else None)


def fits_caption(html: str) -> bool:
    """A post goes as a photo with caption only when all of it fits a caption (its plain-text
    fallback too); otherwise it goes as text with the image in the link preview."""
    return visible_length(html) <= CAPTION_LIMIT and len(to_plain_text(html)) <= CAPTION_LIMIT


@lru_cache(maxsize=64)
def _checked(template: str) -> str:
    check_template(template)
    return template
