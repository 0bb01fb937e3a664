"""Fifty posts waiting for review from one poll: the admins get one summary, their chats stay
under Telegram's per-chat limit (the fake refuses with 429 past it), and /tinjau answers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.e2e.feeds import articles, rss
from tests.fakes.bot_api import FakeBotAPI, Limits
from tests.fakes.feed_server import FeedServer
from tests.handlers.harness import ADMIN, CHANNELS, Bot, button_texts, make_config

REVIEWS = 50
FIRST = next(iter(CHANNELS))


def _fifty() -> list[dict]:
    election = [a for a in articles() if a["is_election"]]
    return [
        {
            **election[i % len(election)],
            "id": f"tinjau-{i}",
            "title": f"{election[i % len(election)]['title']} (bagian {i})",
        }
        for i in range(REVIEWS)
    ]


@pytest.fixture
async def crowded(tmp_path) -> AsyncIterator[Bot]:
    chats = {FIRST: {"type": "channel", "title": CHANNELS[FIRST]}}
    feeds = FeedServer().start()
    feeds.set("/berita.rss", rss(_fifty()), content_type="application/rss+xml")
    with FakeBotAPI(chats, limits=Limits()) as api:
        config = make_config(
            tmp_path,
            feeds,
            api,
            channels=[{"chat_id": FIRST, "name": CHANNELS[FIRST], "mode": "review"}],
            dedupe={"enabled": False},
            max_item_age="7d",
        )
        running = await Bot(api, config).start()
        yield running
        await running.stop()
    feeds.stop()


async def test_fifty_reviews_one_summary_no_429_and_tinjau_answers(crowded: Bot):
    api = crowded.api
    (summary,) = await api.await_calls(1, 60, method="sendMessage", chat_id=ADMIN)
    assert f"{REVIEWS} berita menunggu tinjauan" in summary["text"]
    assert button_texts(summary) == ["🔎 Tinjau"]
    (first,) = await crowded.ask("/tinjau", user_id=ADMIN)
    assert first["ok"] and f"1/{REVIEWS}" in first["text"]
    (second,) = await crowded.ask("/tinjau", user_id=ADMIN)
    assert second["ok"]
    to_admin = api.calls(chat_id=ADMIN)
    assert [c for c in to_admin if c["status"] == 429] == []
    assert len(api.calls(method="sendMessage", chat_id=ADMIN)) == 3
    assert len(crowded.services.store.reviews("pending")) == REVIEWS


async def test_posts_waiting_for_review_are_not_public(crowded: Bot):
    api = crowded.api
    await api.await_calls(1, 60, method="sendMessage", chat_id=ADMIN)  # the reviews are in
    (latest,) = await crowded.ask("/terbaru 10")
    assert "Belum ada berita pemilu" in latest["text"]
    (found,) = await crowded.ask("/cari pemilu")
    assert "Tidak ada berita pemilu yang cocok" in found["text"]
    preview, _ = await crowded.ask("/jadwal harian 07.00 ringkasan", user_id=ADMIN, replies=2)
    assert "Tidak ada berita pemilu pada periode ini" in preview["text"]
