"""render_post on real and awkward articles: exact output and graceful shortening."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.format import render_post
from bot.format.html import to_plain_text, validate, visible_length
from bot.models import Analysis, Post, Quote

TITLE = "Humas Memiliki Peran Penting untuk Sukseskan Pemilu 2024"
LINK = "https://www.inibalikpapan.com/humas-memiliki-peran-penting-untuk-sukseskan-pemilu-2024/"
QUOTE_1 = Quote(
    text="Pemilu bukan hanya jadi urusan perangkat daerah atau komisi pemilihan umum, tetapi "
    "menjadi tanggung jawab bersama seluruh elemen masyarakat",
    speaker="Sekretaris Daerah Provinsi (Sekdaprov) Kaltim Sri Wahyuni",
)
QUOTE_2 = Quote(
    text="Tetapi partisipasi dalam melaksanakan hak dan kewajibannya dalam pemilu, jadi bagian "
    "tanggung jawab masyarakat",
    speaker=None,
)
LEAD = "Pemilu 2024 harus menjadi tanggungjawab semua pihak."
LONG_TITLE = "Judul " * 33  # 198 characters: within the soft size of a title
LONG_LEAD = "kalimat " * 36 + "akhir."  # 294: within the soft size of a lead
LONG_QUOTE = Quote("kata " * 39 + "akhir", "Pembicara " + "panjang " * 8)


def analysis(
    *,
    lead: str = LEAD,
    key_quotes: tuple[Quote, ...] = (QUOTE_1, QUOTE_2),
    hashtags: tuple[str, ...] = ("Pemilu2024", "Bakohumas"),
) -> Analysis:
    return Analysis(
        is_election=True,
        score=4.5,
        reasons=(),
        quotes=key_quotes,
        key_quotes=key_quotes,
        lead=lead,
        hashtags=hashtags,
    )


def render(**overrides: object) -> Post:
    args: dict[str, object] = {
        "title": TITLE,
        "link": LINK,
        "source": "Inibalikpapan.com",
        "analysis": analysis(),
    }
    args.update(overrides)
    post = render_post(**args)  # type: ignore[arg-type]
    validate(post.html, max_length=4096)
    assert len(to_plain_text(post.html)) <= 4096
    if post.caption is not None:
        validate(post.caption, max_length=1024)
        assert len(to_plain_text(post.caption)) <= 1024
    return post


def test_seed_article_gives_the_expected_post() -> None:
    post = render()
    assert post.html == (
        "<b>Humas Memiliki Peran Penting untuk Sukseskan Pemilu 2024</b>\n"
        "\n"
        "Pemilu 2024 harus menjadi tanggungjawab semua pihak.\n"
        "\n"
        "“<i>Pemilu bukan hanya jadi urusan perangkat daerah atau komisi pemilihan umum, tetapi "
        "menjadi tanggung jawab bersama seluruh elemen masyarakat</i>” — Sekretaris Daerah "
        "Provinsi (Sekdaprov) Kaltim Sri Wahyuni\n"
        "“<i>Tetapi partisipasi dalam melaksanakan hak dan kewajibannya dalam pemilu, jadi bagian "
        "tanggung jawab masyarakat</i>”\n"
        "\n"
        f'Sumber: <a href="{LINK}">Inibalikpapan.com</a>\n'
        "#Pemilu2024 #Bakohumas"
    )
    assert post.image is None and post.caption is None
    assert visible_length(post.html) < 700


def test_image_brings_a_caption_of_the_same_post() -> None:
    post = render(image="https://inibalikpapan.com/foto.jpg")
    assert post.image == "https://inibalikpapan.com/foto.jpg"
    assert post.caption == post.html


def test_html_in_title_lead_quotes_and_source_is_escaped() -> None:
    post = render(
        title="KPU <b>umumkan</b> DPT & \"DPTb\" <script>alert('x')</script>",
        source="Koran <Rakyat> & Co",
        analysis=analysis(
            lead="Harga < 100 & naik > 5%; lihat &amp; <a href='x'>di sini</a>.",
            key_quotes=(Quote(text="Kami <b>siap</b> & netral", speaker="Ketua <i>KPU</i>"),),
            hashtags=("Pemilu<2024>", "#KPU&Bawaslu"),
        ),
    )
    assert post.html == (
        "<b>KPU &lt;b&gt;umumkan&lt;/b&gt; DPT &amp; &quot;DPTb&quot; "
        "&lt;script&gt;alert('x')&lt;/script&gt;</b>\n"
        "\n"
        "Harga &lt; 100 &amp; naik &gt; 5%; lihat &amp;amp; &lt;a href='x'&gt;di sini&lt;/a&gt;.\n"
        "\n"
        "“<i>Kami &lt;b&gt;siap&lt;/b&gt; &amp; netral</i>” — Ketua &lt;i&gt;KPU&lt;/i&gt;\n"
        "\n"
        f'Sumber: <a href="{LINK}">Koran &lt;Rakyat&gt; &amp; Co</a>\n'
        "#Pemilu2024 #KPUBawaslu"
    )


def test_missing_parts_are_left_out_without_blank_gaps() -> None:
    post = render(link=None, source=None, analysis=analysis(lead="", key_quotes=(), hashtags=()))
    assert post.html == f"<b>{TITLE}</b>"


def test_lead_equal_to_title_is_left_out() -> None:
    post = render(analysis=analysis(lead=TITLE.upper() + ".", key_quotes=(), hashtags=()))
    assert post.html == f'<b>{TITLE}</b>\n\nSumber: <a href="{LINK}">Inibalikpapan.com</a>'


def test_without_source_the_link_host_names_the_source() -> None:
    post = render(source=None, analysis=analysis(key_quotes=(), hashtags=()))
    assert post.html.endswith(f'Sumber: <a href="{LINK}">inibalikpapan.com</a>')


def test_without_link_the_source_is_plain_text() -> None:
    post = render(link=None, analysis=analysis(key_quotes=(), hashtags=()))
    assert post.html.endswith("\n\nSumber: Inibalikpapan.com")


@pytest.mark.parametrize(
    "link", ["javascript:alert(document.cookie)", "data:text/html,x", "/berita/1", "mailto:a@b.id"]
)
def test_unsafe_links_are_dropped(link: str) -> None:
    post = render(link=link, analysis=analysis(key_quotes=(), hashtags=()))
    assert "<a " not in post.html
    assert post.html.endswith("\n\nSumber: Inibalikpapan.com")
    assert render(link=link, source=None).html.count("Sumber") == 0


def test_link_with_quote_and_ampersand_is_escaped_in_the_attribute() -> None:
    post = render(link='https://a.id/x?q="1"&p=2', analysis=analysis(key_quotes=(), hashtags=()))
    assert 'href="https://a.id/x?q=&quot;1&quot;&amp;p=2"' in post.html


def test_empty_title_takes_the_lead_and_nothing_at_all_still_gives_a_post() -> None:
    post = render(title="  ", analysis=analysis(key_quotes=(), hashtags=()))
    assert post.html.startswith(f"<b>{LEAD}</b>\n\nSumber:")
    bare = render(title="", link=None, source=None, analysis=analysis(lead="", key_quotes=()))
    assert bare.html == "<b>Tanpa judul</b>\n\n#Pemilu2024 #Bakohumas"


def test_quotes_without_speaker_and_surplus_quotes() -> None:
    quotes = (Quote("“Satu”", None), Quote("Dua", "Ani"), Quote("Tiga", "Budi"))
    post = render(analysis=analysis(key_quotes=quotes))
    assert "“<i>Satu</i>”\n“<i>Dua</i>” — Ani\n\nSumber" in post.html
    assert "Tiga" not in post.html


def test_long_title_and_body_are_cut_at_word_boundaries() -> None:
    body = "pemungutan suara ulang di tempat pemungutan suara " * 250  # 12,500 characters
    title = "Judul " + body
    post = render(
        title=title,
        analysis=analysis(lead=body, key_quotes=(Quote(body, "Ketua " + body),)),
        image="https://a.id/f.jpg",
    )
    headline, _, lead, _, quote = post.html.split("\n")[:5]
    assert_cut_at_word(headline.removeprefix("<b>").removesuffix("</b>"), title)
    assert_cut_at_word(lead, body)
    quote_text, speaker = quote.removeprefix("“<i>").split("</i>” — ")
    assert_cut_at_word(quote_text, body)
    assert_cut_at_word(speaker, "Ketua " + body)
    assert visible_length(post.html) < 1000
    assert post.caption is None or visible_length(post.caption) <= 1024


def assert_cut_at_word(cut: str, original: str) -> None:
    assert cut.endswith("…")
    assert (original + " ").startswith(cut.removesuffix("…") + " ")


def test_a_post_too_long_for_a_caption_goes_as_text_with_its_image() -> None:
    lead = "kalimat " * 24 + "akhir."
    quotes = (Quote("satu " * 30 + "akhir", "Ketua KPU"), Quote("dua " * 37 + "akhir", "Ketua"))
    link = LINK + "x" * 400  # the plain-text fallback shows it, so it takes room
    post = render(
        link=link, title="Judul " * 16, analysis=analysis(lead=lead, key_quotes=quotes), image="x"
    )
    assert visible_length(post.html) <= 700
    assert post.html.count("“<i>") == 2  # nothing dropped for a caption
    assert post.caption is None and post.image == "x"  # text, with the image in the preview


def test_a_second_quote_is_left_out_past_700_characters() -> None:
    quotes = (Quote("satu " * 39 + "akhir", "Ketua KPU"), Quote("dua " * 39 + "akhir", "Ketua"))
    post = render(title="Judul " * 33, analysis=analysis(lead=LONG_LEAD, key_quotes=quotes))
    assert post.html.count("“<i>") == 1
    assert "“<i>satu" in post.html


def test_repeated_quotes_show_once() -> None:
    quotes = (Quote("Kami siap.", "Ketua KPU"), Quote("“kami siap”", "Ketua KPU"))
    post = render(analysis=analysis(key_quotes=quotes))
    assert post.html.count("“<i>") == 1


def test_emoji_astral_and_rtl_text_survive_intact() -> None:
    title = "🗳️ Pemilu 2024 👨‍👩‍👧 𝐏𝐢𝐥𝐤𝐚𝐝𝐚 — الانتخابات العامة בחירות"
    quote = Quote("نحن مستعدون 🇮🇩", "عبد الله")
    post = render(title=title, analysis=analysis(key_quotes=(quote,), hashtags=("انتخابات",)))
    assert post.html.startswith(f"<b>{title}</b>")
    assert "“<i>نحن مستعدون 🇮🇩</i>” — عبد الله" in post.html
    assert post.html.endswith("#انتخابات")


def test_astral_text_is_shortened_by_code_points() -> None:
    post = render(title="😀" * 5000, image="https://a.id/f.jpg")
    headline = post.html.split("\n")[0]
    assert headline == "<b>" + "😀" * 199 + "…</b>"
    assert post.caption is not None and visible_length(post.caption) <= 1024


def test_control_characters_and_bidi_overrides_are_removed() -> None:
    post = render(title="Pemilu\x00\x07 2024\u202e\r\n\tKPU", analysis=analysis(key_quotes=()))
    assert post.html.startswith("<b>Pemilu 2024 KPU</b>")


def test_long_link_is_kept_within_the_plain_text_budget() -> None:
    link = "https://a.id/" + "x" * 2000
    post = render(link=link, image="https://a.id/f.jpg")
    assert f'<a href="{link}">' in post.html
    assert post.caption is None  # too long for a caption with its link: goes as text


DEVSET = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "devset_articles.jsonl")
    .read_text("utf-8")
    .splitlines()
]


@pytest.mark.parametrize("article", DEVSET, ids=[article["id"] for article in DEVSET])
def test_real_articles_make_short_posts_with_their_speakers(article: dict[str, Any]) -> None:
    quotes = tuple(Quote(q["text"], q["speaker"]) for q in article["quotes"][:2])
    post = render(
        title=article["title"],
        link=article["url"],
        source=None,
        analysis=analysis(lead=article["lead"], key_quotes=quotes),
        image="https://a.id/f.jpg",
    )
    assert post.html.startswith(f"<b>{article['title']}</b>\n\n{article['lead']}\n\n“<i>")
    assert f"</i>” — {quotes[0].speaker}" in post.html
    assert visible_length(post.html) <= 700
    assert post.caption == post.html


def test_long_lead_equal_to_a_long_title_is_left_out() -> None:
    text = "Rapat pleno terbuka rekapitulasi hasil penghitungan suara " * 6
    post = render(title=text, analysis=analysis(lead=text, key_quotes=(), hashtags=()))
    assert post.html.count("Rapat pleno") == 4  # in the title only, cut to 200 characters
    assert post.html.split("\n")[1:] == ["", f'Sumber: <a href="{LINK}">Inibalikpapan.com</a>']
