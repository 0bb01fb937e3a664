"""Feeds as Indonesian sites publish them: one small fixture per quirk (tests/data/feeds/quirks),
so these run without ../shared."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.models import ParsedFeed
from bot.parse import parse_feed
from tests.parse.cleanliness import problems

QUIRKS = Path(__file__).resolve().parent.parent / "data" / "feeds" / "quirks"
FEEDS = sorted(p for p in QUIRKS.iterdir() if p.suffix in (".rss", ".xml", ".rdf"))


def parse(name: str, now: datetime | None = None) -> ParsedFeed:
    body = (QUIRKS / name).read_bytes()
    return parse_feed(body, url=f"https://quirks.example/{name}", now=now)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.name)
def test_every_fixture_item_is_clean_linked_and_dated(path: Path) -> None:
    feed = parse(path.name)
    assert feed.error is None and feed.items
    for item in feed.items:
        assert problems(item) == [], item.title


def test_indonesian_dates() -> None:
    feed = parse("tanggal-indonesia.rss")
    by_link = {item.link.rsplit("/", 1)[1]: item.published for item in feed.items if item.link}
    assert by_link["2-simulasi-tps"] == utc(2024, 2, 12, 3)  # Senin, 12 Februari 2024 10:00 WIB
    assert by_link["3-masa-tenang"] == utc(2024, 2, 10, 13, 30)  # 21.30 WITA
    assert by_link["4-logistik-jayapura"] == utc(2024, 2, 8, 23, 15)  # 08:15 WIT
    assert by_link["5-rekapitulasi"] == utc(2024, 8, 15, 2)  # Agt, no zone: WIB
    assert by_link["7-dpt"] == utc(2023, 11, 20, 7)  # Nop
    assert by_link["8-pleno"] is not None and by_link["8-pleno"].date().isoformat() == "2023-12-28"
    assert by_link["1-bupati-buka-rakor"].date().isoformat() == "2019-08-05"  # type: ignore[union-attr]


def test_todays_date_only_item_is_news_of_now_and_old_ones_stay_old() -> None:
    now = utc(2019, 8, 5, 9)  # 16:00 WIB on 5 August 2019
    feed = parse("tanggal-indonesia.rss", now=now)
    today = next(i for i in feed.items if "rakor" in (i.link or ""))
    assert today.published == now
    october = next(i for i in feed.items if "pemilih-pemula" in (i.link or ""))
    assert october.published is not None and october.published < utc(2023, 10, 4)


def test_a_plus_0100_stamp_on_a_jakarta_site() -> None:
    feed = parse("zona-bertentangan.rss")
    assert [item.published for item in feed.items] == [
        utc(2017, 4, 27, 9, 2, 24),
        utc(2017, 4, 27, 8, 40),
    ]


def test_a_stamp_in_the_future_is_not_believed() -> None:
    now = utc(2017, 4, 27, 9, 5)  # 16:05 WIB: 16:02 "+0100" read literally is 22:02 WIB
    feed = parse("zona-bertentangan.rss", now=now)
    assert all(item.published and item.published <= now for item in feed.items)


def test_tracking_parameters_leave_links_and_identities() -> None:
    feed = parse("pelacak-tautan.rss")
    links = [item.link for item in feed.items]
    assert links == [
        "https://nasional.example/news/read/5001/psu-dua-tps?page=2",
        "https://nasional.example/news/read/5002/ikp#komentar",
        "https://nasional.example/news/read/5003/dkpp-putusan",  # the proxy's link replaced
    ]
    assert feed.items[1].guid == "https://nasional.example/news/read/5002/ikp"
    again = parse_feed(
        (QUIRKS / "pelacak-tautan.rss")
        .read_bytes()
        .replace(b"utm_source=twitter", b"utm_source=facebook"),
        url="https://quirks.example/x",
    )
    assert [i.uid for i in again.items] == [i.uid for i in feed.items]


def test_mojibake_repaired_and_good_text_untouched() -> None:
    feed = parse("mojibake.rss")
    repaired, untouched = feed.items
    assert repaired.title == "Teknik Tampilan Segar dari L’Oréal"
    assert "“Tapi pengakuan dia tidak pernah terbukti,” kata Kapolres." in repaired.text
    assert untouched.text == (
        "Harga cabai di pasar naik 20 persen; “wajar,” kata pedagang. Résumé café ditulis benar."
    )


def test_html_in_summaries_cr_mid_sentence_and_cdata_padding() -> None:
    feed = parse("ringkasan-html.rss")
    assert feed.title == "Berita Daerah"
    dpt, gudang, disabilitas = feed.items
    assert dpt.title == "KPU Kaltim tetapkan daftar pemilih tetap"
    assert dpt.text == "Komisi Pemilihan Umum Kalimantan Timur menetapkan DPT."
    assert dpt.image == "https://quirks.example/foto/dpt.jpg"
    assert gudang.text == "Samarinda – Ketua Bawaslu meninjau gudang logistik."
    assert gudang.image is None  # a 1x1 tracking pixel is not the article's picture
    assert disabilitas.text.startswith("Petugas mendata ulang pemilih disabilitas di setiap")


def test_duplicates_kept_once_and_items_newest_first() -> None:
    feed = parse("ganda-acak.rss")
    titles = [item.title for item in feed.items]
    assert titles == ["Berita ketiga", "Berita kedua", "Berita pertama"]


def test_a_lying_language_does_not_matter() -> None:
    feed = parse("bahasa-bohong.rss")
    (item,) = feed.items
    assert item.published == utc(2024, 2, 13, 10, 27) and feed.site_zone == "Asia/Jakarta"


def test_rss_091() -> None:
    feed = parse("rss091.xml")
    (item,) = feed.items
    assert item.text == "Mahkamah Konstitusi memulai sidang sengketa hasil pemilu."
    assert item.published == utc(2017, 4, 27, 9, 2, 24)


def test_rdf_with_dc_date_only_and_a_repeated_item() -> None:
    feed = parse("rdf-dcdate.rdf")
    assert [item.published for item in feed.items] == [
        utc(2009, 11, 30, 12, 19, 29),
        utc(2009, 11, 30, 5, 48, 43),
    ]
