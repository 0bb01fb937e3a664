"""Sitemaps read as feeds: Google News sitemaps, ordinary ones, and indexes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.parse import parse_feed
from bot.parse.discovery import preferred_sitemaps
from bot.parse.sitemap import MAX_ITEMS, is_sitemap, sitemap_children, title_from_address

SITEMAPS = Path(__file__).resolve().parent.parent / "data" / "sitemaps"


def read(name: str) -> bytes:
    return (SITEMAPS / name).read_bytes()


def test_a_news_sitemap_is_a_feed_of_titles_links_and_dates() -> None:
    feed = parse_feed(read("news-sitemap.xml"), url="https://humas.kaltim.example/news-sitemap.xml")
    assert feed.error is None and feed.needs_pages and feed.site_zone == "Asia/Makassar"
    assert [(i.title, i.published) for i in feed.items] == [
        (
            "KPU Balikpapan Distribusikan Logistik ke 1.500 TPS",
            datetime(2024, 2, 12, 23, 0, tzinfo=UTC),
        ),
        ("Bawaslu Kaltim Awasi Masa Tenang", datetime(2024, 2, 12, 1, 30, tzinfo=UTC)),
        ("Gubernur Ajak Warga Datang ke TPS", datetime(2024, 2, 11, 15, 59, 59, tzinfo=UTC)),
    ]
    tenang = feed.items[1]
    assert tenang.link == (
        "https://humas.kaltim.example/berita/2024/02/12/bawaslu-kaltim-awasi-masa-tenang"
    )
    assert tenang.image == "https://humas.kaltim.example/foto/masa-tenang.jpg"
    assert tenang.text == ""


def test_an_ordinary_sitemap_titles_from_addresses_and_skips_non_articles() -> None:
    feed = parse_feed(read("sitemap.xml"), url="https://dinas.example/sitemap.xml")
    assert [i.title for i in feed.items] == [
        "Sosialisasi pemilu ramah anak",
        "Pemda raih penghargaan hari anak",
    ]  # the home page left out, the repeated address kept once


def test_a_sitemap_index_is_not_a_source_but_names_its_sitemaps() -> None:
    body = read("sitemap-index.xml")
    assert is_sitemap(body)
    feed = parse_feed(body, url="https://humas.kaltim.example/sitemap_index.xml")
    assert feed.error is not None and "sitemap index" in feed.error and not feed.items
    assert preferred_sitemaps(sitemap_children(body)) == [
        "https://humas.kaltim.example/news-sitemap.xml",
        "https://humas.kaltim.example/post-sitemap.xml",
        "https://humas.kaltim.example/page-sitemap.xml",
    ]  # news first, then posts; the file:// address never


def test_a_big_sitemap_keeps_its_newest_addresses() -> None:
    urls = "".join(
        f"<url><loc>https://big.example/berita/{n}-kabar-nomor-{n}-hari-ini</loc>"
        f"<lastmod>2024-01-01T{n // 60 % 24:02d}:{n % 60:02d}:00+07:00</lastmod></url>"
        for n in range(500)
    )
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    feed = parse_feed(body.encode(), url="https://big.example/sitemap.xml")
    assert len(feed.items) == MAX_ITEMS
    assert feed.items[0].title == "Kabar nomor 499 hari ini"


def test_sitemap_entities_are_never_expanded() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x "KPU KPU KPU KPU">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        b"<loc>https://a.example/berita/kabar-hari-ini</loc></url></urlset>"
    )
    feed = parse_feed(body, url="https://a.example/sitemap.xml")
    assert [i.title for i in feed.items] == ["Kabar hari ini"]


def test_titles_from_addresses() -> None:
    assert title_from_address("https://a.example/berita/246-kpu-tetapkan-dpt.html") == (
        "Kpu tetapkan dpt"
    )
    assert title_from_address("https://a.example/read/2024/02/13/bawaslu_awasi_tps/") == (
        "Bawaslu awasi tps"
    )
    assert title_from_address("https://a.example/berita/") == ""
