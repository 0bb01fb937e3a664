"""/sumber tambah with a site's page: the feed it announces, or its sitemap, is followed and
the admin is told which."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.site_server import SiteServer
from tests.handlers.harness import ADMIN, Bot

DATA = Path(__file__).resolve().parent.parent / "data"
PAGE = (
    b'<!doctype html><html><head><link rel="alternate" type="application/rss+xml" '
    b'href="/feed/"></head><body>Berita</body></html>'
)
RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Humas Kota</title>'
    b"<item><title>KPU tetapkan DPT</title><link>https://kota.example/1</link>"
    b"<description>Pleno.</description></item></channel></rss>"
)


@pytest.fixture
def site() -> Iterator[SiteServer]:
    with SiteServer() as running:
        yield running


async def test_a_page_with_a_feed(bot: Bot, site: SiteServer) -> None:
    site.page("/berita/", PAGE)
    site.page("/feed/", RSS, "application/rss+xml")
    (reply,) = await bot.ask(f"/sumber tambah {site.url}/berita/", user_id=ADMIN)
    assert f"Ditemukan umpan RSS: {site.url}/feed/" in reply["text"]
    assert "Sumber ditambahkan: Humas Kota" in reply["text"]
    urls = {feed.url for feed in bot.services.store.feed_list()}
    assert f"{site.url}/feed/" in urls and f"{site.url}/berita/" not in urls


async def test_a_site_with_only_a_news_sitemap(bot: Bot, site: SiteServer) -> None:
    site.page("/", b"<html><body>Beranda</body></html>")
    site.page("/news-sitemap.xml", (DATA / "sitemaps" / "news-sitemap.xml").read_bytes())
    (reply,) = await bot.ask(f"/sumber tambah {site.url}/", user_id=ADMIN)
    assert f"Tidak ada umpan; mengikuti peta situs: {site.url}/news-sitemap.xml" in reply["text"]
    (reply,) = await bot.ask(f"/sources tambah {site.url}/", user_id=ADMIN, language_code="en")
    assert "No feed; following the sitemap" in reply["text"] and "already" in reply["text"]


async def test_a_site_with_neither(bot: Bot, site: SiteServer) -> None:
    site.page("/", b"<html><body>Beranda</body></html>")
    (reply,) = await bot.ask(f"/sumber tambah {site.url}/", user_id=ADMIN)
    assert "tidak bisa dipakai" in reply["text"] and "peta situs" in reply["text"]
