"""Dates through a whole poll: a week-old item is never posted as new, today's item is never
dropped for a bad date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.fakes.feed_server import FeedServer
from tests.pipeline.support import make_services

NOW = datetime(2024, 2, 13, 9, 0, tzinfo=UTC)  # 16:00 WIB


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def item(number: int, title: str, date: str) -> str:
    return (
        f"<item><title>{title}</title><link>https://pemda.example/berita/{number}</link>"
        f"<description>Rapat pleno KPU kabupaten membahas tahapan pemilu.</description>"
        f"<pubDate>{date}</pubDate></item>"
    )


def rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Humas Pemda</title>{''.join(items)}</channel></rss>"
    ).encode()


async def test_todays_items_with_bad_dates_are_posted_and_old_ones_are_not(tmp_path, server):
    archive = item(1, "Arsip lama", "Selasa, 30 Januari 2024 10:00 WIB")
    server.set("/berita.rss", rss(archive))
    svc, _ = make_services(tmp_path, [{"url": f"{server.url}/berita.rss"}])
    try:
        await svc.pipeline.poll(every=True, now=NOW)
        server.set(
            "/berita.rss",
            rss(
                item(2, "Tanpa jam, hari ini", "13 Februari 2024"),
                item(3, "Jam WIB berlabel GMT", "Tue, 13 Feb 2024 15:30:00 GMT"),
                item(4, "Jam WIB berlabel +0100", "Tue, 13 Feb 2024 15:45:00 +0100"),
                item(5, "Sepekan lalu", "Selasa, 06 Februari 2024 10:00 WIB"),
                item(6, "Tanpa jam, sepekan lalu", "06 Feb 2024"),
                archive,
            ),
        )
        report = await svc.pipeline.poll(every=True, now=NOW)
        assert (report.new_items, report.postable) == (5, 3)
        rows = svc.store.engine.connect().exec_driver_sql(
            "SELECT link, postable FROM items ORDER BY id"
        )
        postable = {link.rsplit("/", 1)[1]: bool(flag) for link, flag in rows}
        assert postable == {"1": False, "2": True, "3": True, "4": True, "5": False, "6": False}
    finally:
        svc.close()
