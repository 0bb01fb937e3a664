"""RSS 2.0, Atom and RDF documents, encodings, broken and non-feed documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bot.models import ParsedFeed
from bot.parse import item_uid, parse_feed

from .conftest import sample_feed


def test_rss_20_sample() -> None:
    feed = parse_feed(sample_feed("daerah.rss"), url="https://berita-daerah.example/feed/")
    assert feed.error is None and feed.ttl_minutes == 15
    assert feed.title == "Berita Daerah: Kaltim dan Jawa Tengah"
    assert len(feed.items) == 7
    bakohumas = next(item for item in feed.items if "Bakohumas" in item.content)
    assert bakohumas.title == "Humas Memiliki Peran Penting untuk Sukseskan Pemilu 2024"
    assert bakohumas.published == datetime(2023, 7, 9, 16, 0, tzinfo=UTC)  # 10 Jul 00:00 WITA
    assert bakohumas.link == bakohumas.guid
    assert bakohumas.link.startswith("https://www.inibalikpapan.com/")
    assert bakohumas.summary.startswith("BALIKPAPAN, Inibalikpapan.com – Pemilu 2024")
    assert "\n" not in bakohumas.summary  # the description holds the first paragraph only
    paragraphs = bakohumas.content.split("\n")
    assert len(paragraphs) > 5 and paragraphs[0] == bakohumas.summary
    assert bakohumas.uid == item_uid(bakohumas.guid, None, "", "")
    undated = next(item for item in feed.items if item.published is None)
    assert undated.title.startswith("DKP Kukar Gencarkan Gemarikan")


def test_atom_sample() -> None:
    feed = parse_feed(sample_feed("nasional.atom"), url="https://nasional.example/feed.atom")
    assert feed.error is None and len(feed.items) == 8 and feed.ttl_minutes is None
    first = feed.items[0]
    assert first.title.startswith("Ketua Bawaslu Dilaporkan ke KPK")
    assert first.published == datetime(2025, 10, 21, 22, 46, tzinfo=UTC)  # 22 Oct 05:46 WIB
    assert first.link and first.link.startswith("https://news.detik.com/berita/d-8172207/")
    assert len(first.content) > len(first.summary) > 0
    assert all(item.published and item.published.tzinfo is UTC for item in feed.items)


def test_rdf_sample() -> None:
    feed = parse_feed(sample_feed("humas.rdf"), url="https://humas.example/rss")
    assert feed.error is None and len(feed.items) == 5
    assert feed.title == "Humas: Sosialisasi dan Layanan Publik"
    osis = feed.items[0]
    assert osis.title == "Pemilihan OSIS Serentak SMA/SMK Se-Tabanan Digelar Mirip Pemilu"
    assert osis.guid == osis.link
    assert osis.published == datetime(2025, 10, 21, 4, 51, tzinfo=UTC)
    year_only = next(item for item in feed.items if "Simalungun" in item.title)
    assert year_only.published == datetime(2018, 1, 1, tzinfo=UTC)


def test_sample_feeds_are_the_same_in_config() -> None:
    from pathlib import Path

    config = Path(__file__).resolve().parents[2] / "config" / "sample-feeds"
    for name in ("daerah.rss", "nasional.atom", "humas.rdf"):
        assert (config / name).read_bytes() == sample_feed(name)


def test_iso_8859_1(parse_file: Callable[[str], ParsedFeed]) -> None:
    feed = parse_file("latin1.rss")
    (item,) = feed.items
    assert item.title == "KPU Balikpapan: suhu gudang logistik dijaga 25°C, akurasi ±1%"
    assert "José Martín" in item.summary and "½ ton" in item.summary
    assert item.published == datetime(2024, 2, 6, 2, 15, tzinfo=UTC)


def test_utf8_declared_but_latin1_served_with_a_charset_header() -> None:
    body = "<rss version='2.0'><channel><item><title>Café Pemilu</title></item></channel></rss>"
    feed = parse_feed(
        body.encode("iso-8859-1"),
        url="https://feeds.example/x",
        content_type="application/rss+xml; charset=ISO-8859-1",
    )
    assert feed.items[0].title == "Café Pemilu"


def test_broken_xml_keeps_the_entries_read(parse_file: Callable[[str], ParsedFeed]) -> None:
    feed = parse_file("broken.rss")
    assert feed.error is None
    assert [item.link for item in feed.items] == [
        "https://potong.example/1",
        "https://potong.example/2",
    ]


def test_broken_before_the_first_entry(parse_file: Callable[[str], ParsedFeed]) -> None:
    feed = parse_file("truncated-head.atom")
    assert feed.items == ()
    assert feed.error and feed.error.startswith("broken feed: no element found")


def test_an_html_page_is_not_a_feed(parse_file: Callable[[str], ParsedFeed]) -> None:
    feed = parse_file("not-a-feed.html")
    assert feed.items == () and feed.error == "not a feed: the document is an HTML page"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"", "not a feed: the document is empty"),
        (b"  \n", "not a feed: the document is empty"),
        (b"\x00\x01\x02 garbage", "not a feed: not well-formed"),
        (b"<?xml version='1.0'?><config><a>1</a></config>", "not a feed: no RSS, Atom or RDF"),
    ],
)
def test_garbage_is_not_a_feed(body: bytes, error: str) -> None:
    feed = parse_feed(body, url="https://feeds.example/x")
    assert feed.items == () and feed.error and feed.error.startswith(error)


def test_an_empty_valid_feed_is_no_error() -> None:
    body = b"<rss version='2.0'><channel><title>Kosong</title><ttl>60</ttl></channel></rss>"
    feed = parse_feed(body, url="https://feeds.example/x")
    assert feed == ParsedFeed(title="Kosong", items=(), ttl_minutes=60, error=None)


def test_a_wrong_content_type_does_not_matter() -> None:
    feed = parse_feed(sample_feed("daerah.rss"), url="https://x.example/", content_type="text/html")
    assert feed.error is None and len(feed.items) == 7


def test_entries_without_dates(parse_file: Callable[[str], ParsedFeed]) -> None:
    feed = parse_file("no-dates.atom")
    published = {item.title: item.published for item in feed.items}
    assert published == {
        "Entri tanpa tanggal sama sekali": None,
        "Entri dengan tanggal rusak": None,
        "Entri hanya dengan updated": datetime(2025, 10, 18, 4, 2, tzinfo=UTC),
    }
