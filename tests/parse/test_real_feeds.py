"""The 21 real Indonesian feed documents in ../shared/realfeeds (read there, never copied)."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.models import ParsedFeed
from bot.parse import parse_feed
from tests.parse.cleanliness import problems

REAL = Path(__file__).resolve().parents[3] / "shared" / "realfeeds"
DOCUMENTS = sorted(REAL.glob("*.xml")) if REAL.is_dir() else []
NOW = datetime(2026, 12, 1, tzinfo=UTC)

pytestmark = pytest.mark.skipif(
    not DOCUMENTS, reason=f"the real feeds are not here ({REAL} is absent)"
)


@functools.cache  # each document is parsed once for all the tests
def parse(name: str) -> ParsedFeed:
    return parse_feed((REAL / name).read_bytes(), url=f"https://realfeeds.example/{name}", now=NOW)


def test_all_21_documents_are_here() -> None:
    assert len(DOCUMENTS) == 21


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_item_has_a_title_clean_text_clean_link_and_a_date(path: Path) -> None:
    feed = parse(path.name)
    assert feed.error is None and feed.items
    for item in feed.items:
        assert problems(item) == [], item.title
    dated = [item.published for item in feed.items if item.published]
    assert dated == sorted(dated, reverse=True)  # newest first, whatever the feed's order


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_items_with_a_description_have_text(path: Path) -> None:
    feed = parse(path.name)
    with_text = sum(bool(item.text) for item in feed.items)
    # every real item has text but one BBC RDF entry (a promotion with no description)
    assert with_text >= len(feed.items) - 1


def test_tempo_plus_0100_is_jakarta_time() -> None:
    feed = parse("tempo_terkini-rss091_2017-04-27.xml")
    first = next(i for i in feed.items if "Formappi" in i.title)
    # "Thu, 27 Apr 2017 16:02:24 +0100" on a Jakarta site: 16:02 WIB
    assert first.published == datetime(2017, 4, 27, 9, 2, 24, tzinfo=UTC)


def test_dp3ap2_indonesian_month_name() -> None:
    feed = parse("jogjaprov-dp3ap2_berita_2019-08-19-excerpt.xml")
    assert [i.published.date().isoformat() for i in feed.items if i.published] == [
        "2019-08-05",
        "2019-08-05",
    ]


def test_liputan6_links_lose_their_utm_parameters() -> None:
    feed = parse("liputan6_rss_2019-09-18.xml")
    assert all("utm_" not in (item.link or "") for item in feed.items)
    assert "utm_campaign" in (REAL / "liputan6_rss_2019-09-18.xml").read_text(encoding="utf-8")


def test_feedsportal_links_become_the_articles_own() -> None:
    feed = parse("detik_news-feedsportal_2014-04-29.xml")
    assert all((item.link or "").startswith("http://news.detik.com/") for item in feed.items)


def test_tempo_mojibake_repaired() -> None:
    feed = parse("tempo_rss_2017-04-06.xml")
    loreal = [i for i in feed.items if "Oréal" in i.title + i.text]
    assert loreal and all("â€" not in i.title + i.text for i in feed.items)
    assert any("L’Oréal" in i.text for i in loreal)


def test_bbc_rdf_duplicates_kept_once_with_dc_date() -> None:
    feed = parse("bbcindonesia_berita-dunia-rdf_2009-11-30.xml")
    assert len(feed.items) == len({item.uid for item in feed.items}) == 32
    assert all(item.published for item in feed.items)


def test_a_lying_language_changes_nothing() -> None:
    feed = parse("viva_politik_2016-08-23.xml")  # <language>en-us</language>, text Indonesian
    assert len(feed.items) == 200 and feed.site_zone == "Asia/Jakarta"


def test_antara_cr_entities_leave_no_carriage_return() -> None:
    feed = parse("antaranews_terkini_2016-08-23.xml")
    assert "&#13;" in (REAL / "antaranews_terkini_2016-08-23.xml").read_text(encoding="utf-8")
    assert all("\r" not in item.text for item in feed.items)


def test_feedsportal_images_are_dropped_with_the_proxy() -> None:
    feed = parse("detik_news-feedsportal_2014-04-29.xml")
    assert all("feedsportal" not in (item.image or "") for item in feed.items)
