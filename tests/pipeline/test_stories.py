"""One story, one post; full text from the article page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.fetch import Fetcher
from bot.models import Item
from bot.pipeline.dedupe import shingles, signatures
from bot.pipeline.fulltext import FullText
from bot.pipeline.workers import shared_workers
from bot.settings import FetchConfig
from tests.fakes.feed_server import FeedServer
from tests.pipeline.support import article, entry, feed, make_services

NEWS = article("pg-bawaslu-kendal-lsm")
OTHER = article("pg-radarbanyumas-purbalingga")
LATER = timedelta(minutes=10)


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def reworded(text: str) -> str:
    """The same release as a local site republishes it: its own first line, the rest as is."""
    return "KENDAL, Portal C - Siaran pers diterima redaksi.\n" + text


async def test_one_story_from_several_feeds_is_posted_once_per_channel(tmp_path, server):
    link = "https://kendal.example/berita/bawaslu-lsm"
    server.set("/a.rss", feed("Portal A", entry("a-1", link, NEWS["title"], NEWS["text"])))
    server.set(
        "/b.rss",
        feed("Portal B", entry("b-9", f"{link}?utm_source=rss#top", "Judul lain", OTHER["text"])),
    )
    server.set("/c.rss", feed("Portal C"))
    feeds = [{"url": f"{server.url}/{name}.rss"} for name in "abc"]
    svc, sink = make_services(tmp_path, feeds)
    report = await svc.pipeline.poll()
    assert (report.new_items, report.duplicates, report.queued) == (2, 1, 2)
    await svc.outbox.deliver()
    assert [chat for chat, _ in sink.sent] == [-1001, -1002]
    assert all("Juga diberitakan" in post.html and "Portal B" in post.html for _, post in sink.sent)

    # a later cycle: a third site republishes the same text under its own link and guid
    server.set(
        "/c.rss",
        feed(
            "Portal C", entry("c-1", "https://c.example/1", NEWS["title"], reworded(NEWS["text"]))
        ),
    )
    later = await svc.pipeline.poll(now=datetime.now(UTC) + LATER)
    assert (later.new_items, later.duplicates, later.queued) == (1, 1, 0)
    svc.close()

    # after a restart the stories are still known (signatures are stored)
    server.set(
        "/a.rss",
        feed(
            "Portal A", entry("a-2", "https://a.example/2", NEWS["title"], reworded(NEWS["text"]))
        ),
    )
    again, sink = make_services(tmp_path, feeds)
    restarted = await again.pipeline.poll(now=datetime.now(UTC) + 2 * LATER)
    assert (restarted.new_items, restarted.duplicates, restarted.queued) == (1, 1, 0)
    await again.outbox.deliver()
    assert sink.sent == []


async def test_different_stories_are_all_posted(tmp_path, server):
    server.set(
        "/a.rss",
        feed(
            "Portal A",
            entry("a-1", "https://a.example/1", NEWS["title"], NEWS["text"]),
            entry("a-2", "https://a.example/2", OTHER["title"], OTHER["text"]),
        ),
    )
    svc, _ = make_services(tmp_path, [{"url": f"{server.url}/a.rss"}])
    report = await svc.pipeline.poll()
    assert (report.new_items, report.duplicates, report.queued) == (2, 0, 4)


def test_near_identical_texts_are_similar_and_different_ones_are_not() -> None:
    def item(title: str, text: str) -> Item:
        return Item(uid=title, title=title, link=None, published=None, summary="", content=text)

    same, near, other = signatures(
        [
            item(NEWS["title"], NEWS["text"]),
            item(NEWS["title"], reworded(NEWS["text"])),
            item(OTHER["title"], OTHER["text"]),
        ]
    )
    assert same is not None and near is not None and other is not None
    assert same.jaccard(near) > 0.8 and same.jaccard(other) < 0.2
    assert shingles("KPU", "") == [b"kpu"] and shingles("", "") == []


async def test_full_text_is_read_from_the_article_page(tmp_path, server):
    paragraphs = "".join(f"<p>{p}</p>" for p in NEWS["text"].split("\n") if p)
    page = (
        f"<html><head><title>{NEWS['title']}</title></head><body><nav>Menu Beranda Politik</nav>"
        f"<article><h1>{NEWS['title']}</h1>{paragraphs}</article><footer>Hak cipta</footer>"
        "</body></html>"
    )
    server.set("/berita/1.html", page)
    short = entry("a-1", f"{server.url}/berita/1.html", NEWS["title"], summary="Bawaslu ajak LSM.")
    server.set("/a.rss", feed("Portal A", short))
    svc, sink = make_services(tmp_path, [{"url": f"{server.url}/a.rss", "fulltext": True}])
    report = await svc.pipeline.poll()
    assert (report.full_text, report.election_items, report.queued) == (1, 1, 2)
    await svc.outbox.deliver()
    assert "<i>" in sink.sent[0][1].html  # a quote from the page made it into the post
    [(content,)] = svc.store.engine.connect().exec_driver_sql("SELECT content FROM items").all()
    assert "Pemilu di Kendal akan aman" in content and "Hak cipta" not in content


async def test_feeds_without_fulltext_never_read_pages(tmp_path, server):
    server.set("/berita/1.html", "<html><body><p>Isi</p></body></html>")
    short = entry("a-1", f"{server.url}/berita/1.html", NEWS["title"], summary="Bawaslu ajak LSM.")
    server.set("/a.rss", feed("Portal A", short))
    svc, _ = make_services(tmp_path, [{"url": f"{server.url}/a.rss"}])
    report = await svc.pipeline.poll()
    assert report.full_text == 0 and server.requests("/berita/1.html") == []


async def test_pages_are_cached_by_url_and_fetched_within_limits(server):
    server.set(
        "/p.html",
        "<html><body><article><p>" + "Isi berita. " * 100 + "</p></article></body></html>",
    )
    server.set("/big.html", "<html><body>" + "x" * 5000 + "</body></html>")
    full_text = FullText(shared_workers(2))
    item = Item(
        uid="1", title="T", link=f"{server.url}/p.html", published=None, summary="s", content=""
    )
    async with Fetcher(FetchConfig(allow_private_addresses=True, max_bytes=2000)) as fetcher:
        big = Item(
            uid="2",
            title="T",
            link=f"{server.url}/big.html",
            published=None,
            summary="s",
            content="",
        )
        assert await full_text.text(big, fetcher) is None  # larger than max_bytes
        first = await full_text.text(item, fetcher)
        again = await full_text.text(
            Item(
                uid="3",
                title="T",
                link=f"{server.url}/p.html?utm_source=x",
                published=None,
                summary="s",
                content="",
            ),
            fetcher,
        )
    assert first and first == again and "Isi berita." in first
    assert len(server.requests("/p.html")) == 1


async def test_pages_on_private_addresses_are_refused(server):
    server.set("/p.html", "<html><body><p>rahasia</p></body></html>")
    item = Item(
        uid="1", title="T", link=f"{server.url}/p.html", published=None, summary="s", content=""
    )
    async with Fetcher(FetchConfig()) as fetcher:
        assert await FullText(shared_workers(2)).text(item, fetcher) is None
    assert server.requests("/p.html") == []
