"""A site followed through its news sitemap: its items are only addresses, so their pages are
read (with the project's fetcher) before the analysis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.feed_server import FeedServer
from tests.pipeline.support import article, make_services

NEWS = article("pg-bawaslu-kendal-lsm")


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def news_sitemap(link: str, title: str, published: datetime) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{link}?utm_source=sitemap</loc><news:news>"
        "<news:publication><news:name>Humas</news:name><news:language>id</news:language>"
        f"</news:publication><news:publication_date>{published.isoformat()}"
        f"</news:publication_date><news:title>{title}</news:title></news:news></url></urlset>"
    ).encode()


async def test_a_sitemap_source_reads_its_pages_and_posts(tmp_path, server):
    paragraphs = "".join(f"<p>{p}</p>" for p in NEWS["text"].split("\n") if p)
    page = (
        f"<html><head><title>{NEWS['title']}</title></head><body><article>"
        f"<h1>{NEWS['title']}</h1>{paragraphs}</article></body></html>"
    )
    server.set("/berita/bawaslu-lsm.html", page)
    link = f"{server.url}/berita/bawaslu-lsm.html"
    published = datetime.now(UTC) - timedelta(hours=1)
    server.set("/news-sitemap.xml", news_sitemap(link, NEWS["title"], published))
    svc, sink = make_services(tmp_path, [{"url": f"{server.url}/news-sitemap.xml"}])
    try:
        report = await svc.pipeline.poll()
        assert (report.new_items, report.full_text, report.election_items) == (1, 1, 1)
        assert len(server.requests("/berita/bawaslu-lsm.html")) == 1
        await svc.outbox.deliver()
        assert sink.sent and link in sink.sent[0][1].html  # posted without utm_source
        assert "utm_source" not in sink.sent[0][1].html
    finally:
        svc.close()
