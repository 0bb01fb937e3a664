"""Build a post from an article and shorten it until Telegram will take it.

A :class:`Draft` holds the post's parts as plain text; :func:`render` turns it into Telegram
HTML through a template, escaping every part. :func:`fit` shortens a draft, in a fixed order,
until both the HTML's visible text and its plain-text fallback fit a limit: quotes go first,
then the lead is cut at a word boundary, then the title, and only then the hashtags, the link
and the source name. Text is cut before it is escaped, so a cut never lands inside a tag or an
entity.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.format.html import escape, safe_href, to_plain_text, visible_length
from bot.format.template import fill
from bot.format.text import (
    clean_hashtags,
    clean_text,
    has_substance,
    host_name,
    same_text,
    shorten,
    unquote,
)
from bot.models import Analysis, Quote

logger = logging.getLogger(__name__)

# Soft sizes that keep a post around 700 characters, readable on a phone.
TITLE_MAX = 200
LEAD_MAX = 300
QUOTE_MAX = 200
SPEAKER_MAX = 80
SOURCE_MAX = 60
QUOTES_MAX = 2
HASHTAGS_MAX = 5
HASHTAG_MAX = 30
# Beyond this many visible characters a second quote is left out: a phone screen's worth.
SOFT_LIMIT = 700
# Below these, a part is dropped rather than cut further.
QUOTE_MIN = 40
LEAD_MIN = 40
TITLE_MIN = 30
UNTITLED = "Tanpa judul"


@dataclass(frozen=True, slots=True)
class Draft:
    """The parts of a post, as clean plain text."""

    title: str
    lead: str = ""
    quotes: tuple[Quote, ...] = ()
    source: str = ""  # readable source name
    link: str | None = None  # a safe http(s) URL
    hashtags: tuple[str, ...] = ()  # without '#'


def make_draft(*, title: str, link: str | None, source: str | None, analysis: Analysis) -> Draft:
    """Tidy the article's parts into a draft within the soft sizes."""
    headline, lead = clean_text(title), clean_text(analysis.lead)
    if same_text(lead, headline):
        lead = ""
    headline, lead = shorten(headline, TITLE_MAX), shorten(lead, LEAD_MAX)
    if not headline:
        headline, lead = shorten(lead, TITLE_MAX) or UNTITLED, ""
    safe_link = safe_href(link)
    return Draft(
        title=headline,
        lead=lead,
        quotes=_tidy_quotes(analysis.key_quotes),
        source=shorten(clean_text(source) or host_name(safe_link), SOURCE_MAX),
        link=safe_link,
        hashtags=clean_hashtags(analysis.hashtags, limit=HASHTAGS_MAX, max_length=HASHTAG_MAX),
    )


def _tidy_quotes(quotes: tuple[Quote, ...]) -> tuple[Quote, ...]:
    tidy: list[Quote] = []
    for quote in quotes:
        text = shorten(clean_text(unquote(clean_text(quote.text))), QUOTE_MAX)
        if text and not any(same_text(text, kept.text) for kept in tidy):
            speaker = shorten(clean_text(quote.speaker), SPEAKER_MAX) or None
            tidy.append(Quote(text=text, speaker=speaker))
    return tuple(tidy[:QUOTES_MAX])


def render(draft: Draft, template: str) -> str:
    """The draft as Telegram HTML laid out by ``template``."""
    return fill(template, blocks(draft))


def blocks(draft: Draft) -> dict[str, str]:
    """Each template placeholder's HTML for this draft ("" when the part is absent)."""
    return {
        "headline": f"<b>{escape(draft.title)}</b>" if draft.title else "",
        "lead": escape(draft.lead),
        "quotes": "\n".join(_quote_line(quote) for quote in draft.quotes),
        "source": _source_line(draft),
        "hashtags": " ".join(f"#{escape(tag)}" for tag in draft.hashtags),
    }


def _quote_line(quote: Quote) -> str:
    line = f"“<i>{escape(quote.text)}</i>”"
    return f"{line} — {escape(quote.speaker)}" if quote.speaker else line


def _source_line(draft: Draft) -> str:
    if draft.link and draft.source:
        return f'Sumber: <a href="{escape(draft.link)}">{escape(draft.source)}</a>'
    if draft.source:
        return f"Sumber: {escape(draft.source)}"
    return ""


def prefer_short(draft: Draft, template: str) -> Draft:
    """Leave out the second quote when the post would run past :data:`SOFT_LIMIT`."""
    if len(draft.quotes) > 1 and visible_length(render(draft, template)) > SOFT_LIMIT:
        return replace(draft, quotes=draft.quotes[:1])
    return draft


def measure(html: str) -> int:
    """Characters the post takes as HTML or as its plain-text fallback, whichever is more."""
    return max(visible_length(html), len(to_plain_text(html)))


Fits = Callable[[Draft], bool]


def fit(draft: Draft, template: str, limit: int) -> str:
    """The draft rendered within ``limit`` characters, shortened as little as needed."""

    def fits(candidate: Draft) -> bool:
        return _sendable(render(candidate, template), limit)

    for step in _STEPS:
        if fits(draft):
            break
        logger.debug("post_shorten step=%s limit=%d", step.__name__, limit)
        draft = step(draft, fits)
    html = render(draft, template)
    if _sendable(html, limit):
        return html
    # Only text built to defeat the steps gets here; a checked template leaves room for this.
    logger.warning("post_untitled limit=%d title_chars=%d", limit, len(draft.title))
    return render(Draft(title=UNTITLED), template)


def _sendable(html: str, limit: int) -> bool:
    return measure(html) <= limit and has_substance(to_plain_text(html))


def _keep_one_quote(draft: Draft, fits: Fits) -> Draft:
    return replace(draft, quotes=draft.quotes[:1])


def _trim_quote(draft: Draft, fits: Fits) -> Draft:
    if not draft.quotes:
        return draft
    quote = draft.quotes[0]
    text = _longest(quote.text, QUOTE_MIN, lambda t: fits(_with_quote(draft, t)))
    return _with_quote(draft, text) if text else replace(draft, quotes=())


def _with_quote(draft: Draft, text: str) -> Draft:
    return replace(draft, quotes=(replace(draft.quotes[0], text=text),))


def _trim_lead(draft: Draft, fits: Fits) -> Draft:
    lead = _longest(draft.lead, LEAD_MIN, lambda t: fits(replace(draft, lead=t)))
    return replace(draft, lead=lead or "")


def _trim_title(draft: Draft, fits: Fits) -> Draft:
    title = _longest(draft.title, TITLE_MIN, lambda t: fits(replace(draft, title=t)))
    return replace(draft, title=title or shorten(draft.title, TITLE_MIN))


def _drop_hashtags(draft: Draft, fits: Fits) -> Draft:
    while draft.hashtags and not fits(draft):
        draft = replace(draft, hashtags=draft.hashtags[:-1])
    return draft


def _drop_link(draft: Draft, fits: Fits) -> Draft:
    return replace(draft, link=None)


def _trim_source(draft: Draft, fits: Fits) -> Draft:
    source = _longest(draft.source, 2, lambda t: fits(replace(draft, source=t)))
    return replace(draft, source=source or "")


def _cut_title(draft: Draft, fits: Fits) -> Draft:
    title = _longest(draft.title, 2, lambda t: fits(replace(draft, title=t)))
    return replace(draft, title=title or shorten(draft.title, 2))


_STEPS: tuple[Callable[[Draft, Fits], Draft], ...] = (
    _keep_one_quote,
    _trim_quote,
    _trim_lead,
    _trim_title,
    _drop_hashtags,
    _drop_link,
    _trim_source,
    _cut_title,
)


def _longest(text: str, shortest: int, fits: Callable[[str], bool]) -> str | None:
    """The longest :func:`shorten` of ``text``, no shorter than ``shortest``, that fits."""
    if fits(text):
        return text
    low, high = shortest, len(text) - 1
    if low > high or not fits(shorten(text, low)):
        return None
    while low < high:  # invariant: shorten(text, low) fits
        middle = (low + high + 1) // 2
        if fits(shorten(text, middle)):
            low = middle
        else:
            high = middle - 1
    return shorten(text, low)
