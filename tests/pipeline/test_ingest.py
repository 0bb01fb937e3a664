"""Ingestion rules through the real Pipeline: a real feed server, a real SQLite file."""

from __future__ import annotations

import io
import json
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot import commands
from tests.fakes.feed_server import FeedServer
from tests.pipeline.support import article, entry, feed, make_services

LATER = timedelta(minutes=10)
NEWS = article("pg-bawaslu-kendal-lsm")


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def one_item_feed(title: str = "Portal A") -> bytes:
    return feed(title, entry("a-1", "https://a.example/1", NEWS["title"], NEWS["text"]))


async def test_an_unchanged_body_is_not_parsed_again(tmp_path, server):
    server.set("/a.rss", one_item_feed())
    server.fault("/a.rss", changing_etag=True)  # If-None-Match never matches
    svc, _ = make_services(tmp_path, [{"url": f"{server.url}/a.rss"}])
    first = await svc.pipeline.poll()
    second = await svc.pipeline.poll(now=datetime.now(UTC) + LATER)
    assert (first.parsed, first.new_items) == (1, 1)
    assert (second.parsed, second.unchanged, second.not_modified) == (0, 1, 0)
    assert len(server.requests("/a.rss")) == 2
    [health] = svc.store.feed_health()
    assert health.status == "ok" and health.items == 1


async def test_a_permanent_redirect_moves_the_feed(tmp_path, server):
    server.set("/new.rss", one_item_feed())
    server.fault("/old.rss", redirect="/new.rss", redirect_status=301)
    feeds = [{"url": f"{server.url}/old.rss"}]
    svc, _ = make_services(tmp_path, feeds)
    report = await svc.pipeline.poll()
    assert report.moved == 1 and report.new_items == 1
    await svc.pipeline.poll(now=datetime.now(UTC) + LATER)
    assert len(server.requests("/old.rss")) == 1 and len(server.requests("/new.rss")) == 2
    svc.close()
    again, _ = make_services(tmp_path, feeds)  # a restart with the same config
    [health] = again.store.feed_health()
    assert health.url == f"{server.url}/new.rss"
    assert health.config_url == f"{server.url}/old.rss" and health.enabled


async def test_a_temporary_redirect_does_not_move_the_feed(tmp_path, server):
    server.set("/new.rss", one_item_feed())
    server.fault("/old.rss", redirect="/new.rss", redirect_status=302)
    svc, _ = make_services(tmp_path, [{"url": f"{server.url}/old.rss"}])
    report = await svc.pipeline.poll()
    [health] = svc.store.feed_health()
    assert report.moved == 0 and health.url == f"{server.url}/old.rss"


async def test_a_gone_feed_is_switched_off_and_the_admins_are_told(tmp_path, server):
    server.fault("/a.rss", status=410)
    feeds = [{"url": f"{server.url}/a.rss", "name": "Portal A"}]
    svc, sink = make_services(tmp_path, feeds, admins=[4242])
    report = await svc.pipeline.poll()
    assert report.gone == 1
    [(chat, notice)] = sink.sent
    assert chat == 4242 and f"{server.url}/a.rss" in notice.html and "Portal A" in notice.html
    [health] = svc.store.feed_health()
    assert health.status == "gone" and health.last_error == "HTTP 410 Gone"
    assert (await svc.pipeline.poll(every=True)).feeds_checked == 0
    svc.close()
    again, _ = make_services(tmp_path, feeds, admins=[4242])
    assert (await again.pipeline.poll(every=True)).feeds_checked == 0
    assert len(server.requests("/a.rss")) == 1


@pytest.mark.parametrize("status", [429, 503])
async def test_too_many_requests_and_unavailable_wait_for_retry_after(tmp_path, server, status):
    server.fault("/a.rss", status=status, headers={"Retry-After": "7200"})
    svc, _ = make_services(tmp_path, [{"url": f"{server.url}/a.rss"}])
    before = datetime.now(UTC)
    report = await svc.pipeline.poll(now=before)
    [health] = svc.store.feed_health()
    assert report.feeds_failed == 1 and health.last_error == f"HTTP {status}"
    assert health.next_check is not None and health.next_check >= before + timedelta(hours=2)
    assert (await svc.pipeline.poll(now=before + timedelta(hours=1))).feeds_checked == 0


async def test_rss_ttl_stays_a_lower_bound_after_a_304(tmp_path, server):
    server.set("/a.rss", feed("Portal A", ttl=90))
    svc, _ = make_services(tmp_path, [{"url": f"{server.url}/a.rss"}])
    start = datetime.now(UTC)
    await svc.pipeline.poll(now=start)
    [health] = svc.store.feed_health()
    assert health.next_check and health.next_check >= start + timedelta(minutes=90)
    later = start + timedelta(minutes=100)  # past 90 minutes and its jitter
    report = await svc.pipeline.poll(now=later)
    [health] = svc.store.feed_health()
    assert report.not_modified == 1
    assert health.next_check and health.next_check >= later + timedelta(minutes=90)


async def test_a_slow_feed_does_not_hold_up_the_others_beyond_its_timeout(tmp_path, server):
    gate = threading.Event()
    server.set("/fast.rss", one_item_feed())
    server.set("/slow.rss", one_item_feed("Portal B"))
    server.fault("/slow.rss", gate=gate)
    feeds = [{"url": f"{server.url}/slow.rss"}, {"url": f"{server.url}/fast.rss"}]
    svc, _ = make_services(tmp_path, feeds, fetch={"allow_private_addresses": True, "timeout": 0.5})
    started = time.monotonic()
    report = await svc.pipeline.poll()
    gate.set()
    assert time.monotonic() - started < 3
    assert report.feeds_failed == 1 and report.new_items == 1
    assert report.errors == {f"{server.url}/slow.rss": "timed out after 0.5s"}


async def test_old_items_are_stored_without_text_and_never_analysed(tmp_path, server):
    old = entry(
        "old-1", "https://a.example/old", NEWS["title"], NEWS["text"], age=timedelta(days=3)
    )
    new = entry("new-1", "https://a.example/new", "Rapat pleno KPU", NEWS["text"])
    server.set("/a.rss", feed("Portal A", old, new))
    svc, _ = make_services(tmp_path, [{"url": f"{server.url}/a.rss"}])
    report = await svc.pipeline.poll()
    assert (report.new_items, report.postable) == (2, 1)
    texts = svc.store.engine.connect().exec_driver_sql(
        "SELECT uid IS NOT NULL, content, analysed FROM items ORDER BY published_at"
    )
    (_, old_text, old_analysed), (_, new_text, new_analysed) = texts.all()
    assert (old_text, old_analysed) == ("", 0) and new_text and new_analysed == 1


async def test_the_same_garbage_again_is_not_parsed_again(tmp_path, server):
    server.set("/a.rss", b"<html><body>Maintenance</body></html>", content_type="text/html")
    svc, _ = make_services(tmp_path, [{"url": f"{server.url}/a.rss"}])
    first = await svc.pipeline.poll()
    second = await svc.pipeline.poll(every=True)
    assert (first.parsed, second.parsed, second.feeds_failed) == (1, 0, 1)
    [health] = svc.store.feed_health()
    assert health.failures == 2 and "not a feed" in (health.last_error or "")
    server.set("/a.rss", one_item_feed())  # fixed: parsed and healthy again
    third = await svc.pipeline.poll(every=True)
    [health] = svc.store.feed_health()
    assert (third.parsed, third.new_items, health.status) == (1, 1, "ok")


async def test_humasbot_feeds_shows_every_health_field(tmp_path, server):
    server.set("/ok.rss", one_item_feed())
    server.fault("/gone.rss", status=410)
    feeds = [{"url": f"{server.url}/ok.rss"}, {"url": f"{server.url}/gone.rss"}]
    svc, _ = make_services(tmp_path, feeds)
    await svc.pipeline.poll()
    out = io.StringIO()
    assert commands.feeds(svc.config, as_json=True, out=out) == 0
    ok, gone = (json.loads(line) for line in out.getvalue().splitlines())
    assert {"url", "status", "last_success", "last_error", "failures", "items"} <= set(ok)
    assert (ok["status"], ok["items"], ok["failures"], ok["last_error"]) == ("ok", 1, 0, None)
    assert ok["last_success"] is not None
    assert (gone["status"], gone["failures"], gone["last_error"]) == ("hilang", 1, "HTTP 410 Gone")


async def test_humasbot_feeds_leaves_the_admins_feeds_switched_on(tmp_path, server):
    server.set("/ok.rss", one_item_feed())
    svc, _ = make_services(tmp_path, [{"url": f"{server.url}/ok.rss"}])
    svc.store.add_admin_feed(f"{server.url}/added.rss", "Tambahan", by=1, now=datetime.now(UTC))
    await svc.feeds.resync()
    assert commands.feeds(svc.config, as_json=True, out=io.StringIO()) == 0
    enabled = {feed.url: feed.enabled for feed in svc.store.feed_list()}
    assert enabled == {f"{server.url}/ok.rss": True, f"{server.url}/added.rss": True}


async def test_a_304_to_a_broken_body_is_still_broken(tmp_path, server):
    server.set("/a.rss", b"<html><body>Maintenance</body></html>", content_type="text/html")
    svc, _ = make_services(tmp_path, [{"url": f"{server.url}/a.rss"}])
    await svc.pipeline.poll()
    second = await svc.pipeline.poll(every=True)
    assert server.requests("/a.rss")[-1].status == 304
    assert (second.not_modified, second.feeds_failed, second.parsed) == (1, 1, 0)
    [health] = svc.store.feed_health()
    assert health.status == "failing" and health.failures == 2
