"""Property tests: whatever the feed sends, the post is valid Telegram HTML within the limits."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.format import builtin_templates, render_post
from bot.format.html import to_plain_text, validate
from bot.models import Analysis, Quote

# Markup-like, entity-like, astral, RTL, combining, control and whitespace characters, mixed
# into ordinary text so that the interesting cases are common.
TRICKY = st.sampled_from(
    ["<", ">", "&", '"', "'", "&amp;", "&lt", "<b>", "</i>", "<a href='x'>", "\n", "\r", "\t",
     "\x00", "\u202e", "\u200d", "\u0301", "😀", "🇮🇩", "👨‍👩‍👧", "𝐏", "الانتخابات", "בחירות",
     "“", "”", "—", "…", "#", "$", "$headline", " ", "  "]
)  # fmt: skip
PIECE = st.one_of(st.text(max_size=40), TRICKY)
TEXT = st.lists(PIECE, max_size=30).map("".join)
LONG_TEXT = st.one_of(TEXT, st.builds(lambda t, n: t * n, TEXT, st.integers(1, 400)))
LINK = st.one_of(
    st.none(),
    TEXT,
    st.builds(lambda path: "https://www.contoh.id/" + path, TEXT),
    st.sampled_from(["javascript:alert(1)", 'https://a.id/?q="x"&p=<1>', "http://", "ftp://a.id"]),
    st.builds(lambda n: "https://a.id/" + "x" * n, st.integers(0, 3000)),
)
QUOTE = st.builds(Quote, text=LONG_TEXT, speaker=st.one_of(st.none(), LONG_TEXT))
ANALYSIS = st.builds(
    Analysis,
    is_election=st.just(True),
    score=st.floats(0, 10),
    reasons=st.just(()),
    quotes=st.just(()),
    key_quotes=st.lists(QUOTE, max_size=4).map(tuple),
    lead=LONG_TEXT,
    hashtags=st.lists(TEXT, max_size=12).map(tuple),
)
TEMPLATE = st.sampled_from([None, *builtin_templates().values()])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=LONG_TEXT,
    link=LINK,
    source=st.one_of(st.none(), LONG_TEXT),
    analysis=ANALYSIS,
    template=TEMPLATE,
)
def test_post_is_always_valid_and_within_the_limits(
    title: str, link: str | None, source: str | None, analysis: Analysis, template: str | None
) -> None:
    post = render_post(
        title=title,
        link=link,
        source=source,
        analysis=analysis,
        image="https://a.id/f.jpg",
        template=template,
    )
    validate(post.html, max_length=4096)
    assert len(to_plain_text(post.html)) <= 4096
    if post.caption is not None:  # only when the whole post fits a caption
        assert post.caption == post.html
        validate(post.caption, max_length=1024)
        assert len(to_plain_text(post.caption)) <= 1024
    assert post.image == "https://a.id/f.jpg"


@settings(max_examples=100, deadline=None)
@given(title=TEXT, analysis=ANALYSIS)
def test_without_image_there_is_no_caption(title: str, analysis: Analysis) -> None:
    post = render_post(title=title, link=None, source=None, analysis=analysis)
    assert post.caption is None and post.image is None
    validate(post.html, max_length=4096)


def shows_something(text: str) -> bool:
    """Not only spaces and combining marks: a title Telegram would show."""
    return any(unicodedata.category(c)[0] in "LNPS" for c in text)


READABLE = st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs")), max_size=150)


@settings(max_examples=200, deadline=None)
@given(title=READABLE.filter(shows_something), lead=TEXT)
def test_a_short_title_is_the_bold_first_line_word_for_word(title: str, lead: str) -> None:
    analysis = Analysis(is_election=True, score=1.0, reasons=(), quotes=(), lead=lead)
    post = render_post(title=title, link=None, source=None, analysis=analysis)
    assert post.html.startswith("<b>")
    assert to_plain_text(post.html).split("\n")[0] == " ".join(title.split())
