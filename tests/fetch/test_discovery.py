"""Sites without a feed at the address given: discovery against real local web sites."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.fetch import Fetcher
from bot.fetch.discovery import MAX_REQUESTS, discover
from tests.fakes.site_server import SiteServer

DATA = Path(__file__).resolve().parent.parent / "data"
RSS = "application/rss+xml"


def rss(title: str, link: str = "https://humas.example/berita/1") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://humas.example/</link><item><title>KPU tetapkan DPT</title>"
        f"<link>{link}</link><description>Rapat pleno KPU.</description>"
        f"<pubDate>Tue, 13 Feb 2024 08:00:00 +0700</pubDate></item></channel></rss>"
    ).encode()


def html(head: str = "", body: str = "<p>Berita terbaru</p>") -> bytes:
    page = f"<!doctype html><html><head><title>Humas</title>{head}</head><body>{body}</body>"
    return (page + "</html>").encode()


@pytest.fixture
def site() -> Iterator[SiteServer]:
    with SiteServer() as running:
        yield running


async def test_a_wordpress_page_announces_its_feed(site: SiteServer, fetcher: Fetcher) -> None:
    head = (
        '<link rel="alternate" type="application/rss+xml" title="Humas &raquo; Umpan Komentar" '
        'href="/comments/feed/">'
        '<link rel="alternate" type="application/rss+xml" title="Humas &raquo; Umpan" '
        'href="/feed/">'
    )
    site.page("/berita/kpu-tetapkan-dpt/", html(head))
    site.page("/feed/", rss("Humas Kabupaten"), RSS)
    site.page("/comments/feed/", rss("Komentar"), RSS)
    found = await discover(site.url + "/berita/kpu-tetapkan-dpt/", fetcher)
    assert (found.found, found.url, found.title) == (
        "discovered",
        site.url + "/feed/",
        "Humas Kabupaten",
    )
    assert site.asked() == ["/berita/kpu-tetapkan-dpt/", "/feed/"]  # no needless requests


async def test_a_wordpress_site_without_autodiscovery_has_feed_rss2(
    site: SiteServer, fetcher: Fetcher
) -> None:
    site.page("/", html())
    site.page("/?feed=rss2", rss("Humas Lama"), RSS)
    found = await discover(site.url + "/", fetcher)
    assert (found.found, found.url) == ("discovered", site.url + "/?feed=rss2")
    assert site.asked() == [
        "/",
        "/feed/",
        "/rss",
        "/rss.xml",
        "/feed.xml",
        "/atom.xml",
        "/?feed=rss2",
    ]


async def test_a_site_with_only_a_sitemap_is_followed_through_it(
    site: SiteServer, fetcher: Fetcher
) -> None:
    news = (DATA / "sitemaps" / "news-sitemap.xml").read_bytes()
    index = (DATA / "sitemaps" / "sitemap-index.xml").read_bytes()
    site.page("/", html())
    site.page(
        "/robots.txt",
        f"User-agent: *\nSitemap: {site.url}/sitemap_index.xml\n".encode(),
        "text/plain",
    )
    site.page(
        "/sitemap_index.xml",
        index.replace(b"https://humas.kaltim.example", site.url.encode()),
        "application/xml",
    )
    site.page("/news-sitemap.xml", news, "application/xml")
    found = await discover(site.url + "/", fetcher)
    assert (found.found, found.url) == ("sitemap", site.url + "/news-sitemap.xml")
    assert site.asked()[-3:] == ["/robots.txt", "/sitemap_index.xml", "/news-sitemap.xml"]


async def test_a_site_with_neither_feed_nor_sitemap(site: SiteServer, fetcher: Fetcher) -> None:
    site.page("/", html())
    found = await discover(site.url + "/", fetcher)
    assert not found.usable and found.found == "none" and found.error is None
    assert found.url == site.url + "/"
    assert 1 < len(site.asked()) <= MAX_REQUESTS


async def test_a_feed_given_is_the_feed(site: SiteServer, fetcher: Fetcher) -> None:
    site.page("/rss/terkini.xml", rss("Terkini"), RSS)
    found = await discover(site.url + "/rss/terkini.xml", fetcher)
    assert (found.found, found.url, found.title) == (
        "feed",
        site.url + "/rss/terkini.xml",
        "Terkini",
    )
    assert site.asked() == ["/rss/terkini.xml"]


async def test_a_page_cannot_send_the_bot_to_a_file(site: SiteServer, fetcher: Fetcher) -> None:
    local_feed = (DATA / "feeds" / "quirks" / "rss091.xml").as_uri()
    site.page("/", html(f'<link rel="alternate" type="application/rss+xml" href="{local_feed}">'))
    found = await discover(site.url + "/", fetcher)
    assert found.found == "none" and local_feed not in found.tried


async def test_every_request_passes_the_address_guard(
    site: SiteServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    site.page("/", html('<link rel="alternate" type="application/rss+xml" href="/feed/">'))
    site.page("/feed/", rss("Humas"), RSS)
    found = await discover(site.url + "/", make_fetcher(allow_private_addresses=False))
    assert found.found == "none" and found.error is not None and "private address" in found.error
    assert site.asked() == []


async def test_a_broken_feed_says_what_is_wrong(site: SiteServer, fetcher: Fetcher) -> None:
    site.page("/rss", b'<?xml version="1.0"?><rss version="2.0"><channel><title>A', RSS)
    found = await discover(site.url + "/rss", fetcher)
    assert found.found == "none" and found.error is not None and "feed" in found.error


async def test_a_sitemap_index_given_is_followed_to_its_news_sitemap(
    site: SiteServer, fetcher: Fetcher
) -> None:
    index = (DATA / "sitemaps" / "sitemap-index.xml").read_bytes()
    site.page(
        "/sitemap_index.xml", index.replace(b"https://humas.kaltim.example", site.url.encode())
    )
    site.page("/news-sitemap.xml", (DATA / "sitemaps" / "news-sitemap.xml").read_bytes())
    found = await discover(site.url + "/sitemap_index.xml", fetcher)
    assert (found.found, found.url, found.title) == (
        "sitemap",
        site.url + "/news-sitemap.xml",
        "127.0.0.1",
    )
