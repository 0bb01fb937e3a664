"""Entry normalisation: identity, hostile HTML, long bodies, images, authors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.models import ParsedFeed
from bot.parse import item_uid, parse_feed


def _rss(items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Uji</title>{items}</channel></rss>"
    ).encode()


def test_duplicate_guids(parse_file: Callable[[str], ParsedFeed]) -> None:
    feed = parse_file("duplicate-guids.rss")
    # "berita" names two different stories: both are kept, told apart by their links;
    # the Cimahi story is listed twice: it is kept once
    assert [item.guid for item in feed.items] == ["berita", "berita", "cimahi-banjir"]
    assert len({item.uid for item in feed.items}) == 3
    assert feed.items[2].uid == item_uid("cimahi-banjir", None, "", "")


def test_uids_are_stable_across_fetches(parse_file: Callable[[str], ParsedFeed]) -> None:
    first = [item.uid for item in parse_file("duplicate-guids.rss").items]
    assert first == [item.uid for item in parse_file("duplicate-guids.rss").items]


def test_uid_falls_back_to_the_canonical_link_then_the_text() -> None:
    feed = parse_feed(
        _rss(
            "<item><title>A</title><link>HTTPS://Berita.EXAMPLE/a?utm_source=x#top</link></item>"
            "<item><title>Tanpa tautan</title><description>Isi.</description></item>"
        ),
        url="https://berita.example/feed",
    )
    linked, bare = feed.items
    assert linked.guid is None
    assert linked.uid == item_uid(None, "https://berita.example/a", "", "")
    assert bare.link is None and bare.uid == item_uid(None, None, "Tanpa tautan", "Isi.")


def test_hostile_html_becomes_plain_text(parse_file: Callable[[str], ParsedFeed]) -> None:
    feed = parse_file("hostile.rss")
    assert feed.title == "Umpan nakal & kotor" and feed.ttl_minutes == 30
    (item,) = feed.items  # the entry with only blanks is skipped
    assert item.title == "KPU & Bawaslu: “Pemilu” aman"
    assert item.author == "Redaksi Nakal"
    assert item.summary == "Ringkasan pendek."
    assert item.content == (
        "Ketua KPU & Ketua Bawaslu bertemu di Jakarta.\n"
        "Paragraf kedua\nbaris baru.\nPoin satu\nPoin dua"
    )
    for text in (item.title, item.summary, item.content):
        assert "<" not in text and "alert" not in text and "cookie" not in text


def test_double_escaped_plain_titles_are_decoded() -> None:
    feed = parse_feed(
        _rss("<item><title>Bawaslu &amp;amp; KPU &amp;#8220;siap&amp;#8221;</title></item>"),
        url="https://feeds.example/x",
    )
    assert feed.items[0].title == "Bawaslu & KPU “siap”"


def test_a_10000_character_body_is_kept_whole() -> None:
    paragraphs = [f"Paragraf {n}: " + "pemilu damai " * 60 for n in range(13)]
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    assert len(html) > 10_000
    feed = parse_feed(
        _rss(
            f"<item><title>Panjang</title><content:encoded><![CDATA[{html}]]></content:encoded></item>"
        ),
        url="https://feeds.example/x",
    )
    assert feed.items[0].content == "\n".join(p.strip() for p in paragraphs)


def test_images_in_every_form(parse_file: Callable[[str], ParsedFeed]) -> None:
    images = {item.title: item.image for item in parse_file("images.rss").items}
    assert images == {
        "media:content": "https://gambar.example/foto-1.jpg",
        "media:thumbnail": "https://gambar.example/kecil-2.jpg",
        "enclosure": "https://gambar.example/foto-3.png",
        "img in content": "https://feeds.example/media/foto-4.webp",  # resolved, data: skipped
        "no image": None,
    }


@pytest.mark.parametrize(
    ("author", "name"),
    [
        ("redaksi@berita.example (Sri Wahyuni)", "Sri Wahyuni"),
        ("Sri Wahyuni", "Sri Wahyuni"),
        ("redaksi@berita.example", None),
    ],
)
def test_rss_authors(author: str, name: str | None) -> None:
    feed = parse_feed(
        _rss(f"<item><title>A</title><author>{author}</author></item>"),
        url="https://feeds.example/x",
    )
    assert feed.items[0].author == name


def test_entries_with_nothing_are_skipped() -> None:
    feed = parse_feed(
        _rss("<item><title> </title><description><![CDATA[<p> </p>]]></description></item>"),
        url="https://feeds.example/x",
    )
    assert feed.items == () and feed.error is None


def test_non_web_links_are_dropped() -> None:
    feed = parse_feed(
        _rss("<item><title>A</title><link>javascript:alert(1)</link></item>"),
        url="https://feeds.example/x",
    )
    assert feed.items[0].link is None
