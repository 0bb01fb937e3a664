"""Per-channel templates: validation with clear errors, and rendering through them."""

from __future__ import annotations

import pytest

from bot.format import DEFAULT_TEMPLATE, builtin_templates, check_template, render_post
from bot.format.html import validate
from bot.models import Analysis, Quote

ANALYSIS = Analysis(
    is_election=True,
    score=3.0,
    reasons=(),
    quotes=(),
    key_quotes=(Quote("Kami siap", "Ketua KPU"),),
    lead="KPU menetapkan DPT.",
    hashtags=("KPU",),
)


def render(template: str | None, **overrides: object) -> str:
    args: dict[str, object] = {
        "title": "DPT Ditetapkan",
        "link": "https://kpu.go.id/dpt",
        "source": "KPU",
        "analysis": ANALYSIS,
        "template": template,
    }
    args.update(overrides)
    html = render_post(**args).html  # type: ignore[arg-type]
    validate(html, max_length=4096)
    return html


@pytest.mark.parametrize("template", [DEFAULT_TEMPLATE, *builtin_templates().values()])
def test_default_and_shipped_templates_are_valid(template: str) -> None:
    check_template(template)


def test_shipped_standar_template_is_the_default() -> None:
    assert builtin_templates()["standar"] == DEFAULT_TEMPLATE
    assert render(builtin_templates()["standar"]) == render(None)


def test_custom_template_places_the_blocks() -> None:
    template = (
        "📢 <u>BERITA PEMILU</u>\n${headline}\n$lead\n<blockquote>$quotes</blockquote>\n$$1 $source"
    )
    assert render(template) == (
        "📢 <u>BERITA PEMILU</u>\n"
        "<b>DPT Ditetapkan</b>\n"
        "KPU menetapkan DPT.\n"
        "<blockquote>“<i>Kami siap</i>” — Ketua KPU</blockquote>\n"
        '$1 Sumber: <a href="https://kpu.go.id/dpt">KPU</a>'
    )


def test_empty_blocks_leave_no_empty_elements_or_gaps() -> None:
    no_extras = Analysis(is_election=True, score=1.0, reasons=(), quotes=())
    html = render(builtin_templates()["kutipan"], analysis=no_extras, link=None, source=None)
    assert html == "<b>DPT Ditetapkan</b>"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("$headline $judul", r"placeholder tidak dikenal \$judul"),
        ("${headline} ${sumber}", r"placeholder tidak dikenal \$sumber"),
        ("$headline harga $5", r"'\$' tanpa nama placeholder yang sah di posisi 16"),
        ("Berita tanpa isi", r"harus memuat \$headline"),
        ("$lead\n$source", r"harus memuat \$headline"),
        ("<div>$headline</div>", 'unsupported tag "div"'),
        ("<b>$headline", 'no end tag for "b"'),
        ("$headline & $lead", "unescaped '&'"),
        ('$headline <a href="$source">x</a>', "bukan HTML Telegram yang sah"),
        ("$headline " + "x" * 301, "template terlalu panjang: 301"),
    ],
)
def test_bad_templates_are_refused_with_the_reason(template: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_template(template)
    with pytest.raises(ValueError, match=message):
        render(template)


def test_template_text_counts_against_the_caption_limit() -> None:
    template = "<i>" + "Siaran pers. " * 23 + "</i>\n$headline\n$lead\n$quotes\n$source"
    check_template(template)
    post = render_post(
        title="Judul " * 40,
        link="https://kpu.go.id/dpt",
        source="KPU",
        analysis=Analysis(
            is_election=True,
            score=1.0,
            reasons=(),
            quotes=(),
            key_quotes=(Quote("kata " * 60, "Ketua"),) * 2,
            lead="kalimat " * 60,
        ),
        image="https://kpu.go.id/f.jpg",
        template=template,
    )
    assert post.html.startswith("<i>Siaran pers.")
    assert post.caption is None or post.caption == post.html
