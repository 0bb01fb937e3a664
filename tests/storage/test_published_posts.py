"""What the public may see: one rule for /terbaru, /cari and the digest. A post is public once
it was sent to at least one chat or published by review, and stops being public when it is
retracted; a corrected post is shown in its corrected form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.models import Analysis, Post, SendOutcome
from bot.settings import ChannelConfig, FeedConfig
from bot.storage import Store

NOW = datetime(2024, 2, 10, 8, 0, tzinfo=UTC)
REVIEWED, AUTO = -100111, -100222


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    store.sync_feeds([FeedConfig(url="https://a.example/rss", name="Sumber A")])
    store.sync_channels([ChannelConfig(chat_id=REVIEWED), ChannelConfig(chat_id=AUTO)])
    yield store
    store.close()


def _items(store: Store, titles: list[str]) -> dict[str, int]:
    from bot.models import Item

    feed_id = store.due_feeds(NOW, every=True)[0].id
    items = [
        Item(
            uid=title,
            title=title,
            link=f"https://a.example/{i}",
            published=NOW - timedelta(minutes=i),
            summary=f"{title} pemilu",
            content="",
        )
        for i, title in enumerate(titles)
    ]
    stored = store.add_items(feed_id, items, now=NOW, max_age=timedelta(days=1))
    analysis = Analysis(is_election=True, score=3.0, reasons=(), quotes=(), key_quotes=())
    ids = {}
    for new in stored:
        store.save_analysis(new.id, analysis, Post(html=f"<b>{new.uid}</b>"), now=NOW)
        ids[new.uid] = new.id
    return ids


def _send(store: Store, item_id: int) -> None:
    for job in store.pending_jobs():
        if job.delivery_id and _item_of(store, job.delivery_id) == item_id:
            store.record_outcome(job, SendOutcome("sent", message_id=9), now=NOW, max_attempts=3)


def _item_of(store: Store, delivery_id: int) -> int:
    from bot.storage.schema import DeliveryRow

    with store.session() as session:
        return session.get_one(DeliveryRow, delivery_id).item_id


def _to_review(store: Store, item_id: int) -> int:
    """Hold the item's deliveries for review, as a review-mode channel does."""
    from sqlalchemy import update

    from bot.storage.schema import DeliveryRow, ReviewRow

    with store.session() as session:
        session.execute(
            update(DeliveryRow).where(DeliveryRow.item_id == item_id).values(status="review")
        )
        review = ReviewRow(
            item_id=item_id, chat_ids=[str(REVIEWED)], reasons={}, created_at=NOW, status="pending"
        )
        session.add(review)
        session.flush()
        return review.id


def test_only_published_and_not_retracted_posts_are_public(store: Store):
    ids = _items(store, ["terkirim", "menunggu", "ditolak", "diterbitkan", "ditarik", "antre"])
    _send(store, ids["terkirim"])
    _send(store, ids["ditarik"])
    store.record_retraction(ids["ditarik"], {str(AUTO): "deleted"}, by=1, now=NOW)
    waiting = _to_review(store, ids["menunggu"])
    rejected = _to_review(store, ids["ditolak"])
    published = _to_review(store, ids["diterbitkan"])
    store.decide_review(rejected, publish=False, by=1, now=NOW)
    store.decide_review(published, publish=True, by=1, now=NOW)
    assert store.review(waiting).status == "pending"

    public = store.published_posts(limit=50)
    assert [p.title for p in public] == ["terkirim", "diterbitkan"]
    assert public[0].source == "Sumber A" and public[0].html == "<b>terkirim</b>"
    recent = store.published_posts(since=NOW - timedelta(minutes=2), limit=50)
    assert [p.title for p in recent] == ["terkirim"]


def test_a_corrected_post_is_public_in_its_corrected_form(store: Store):
    ids = _items(store, ["Judul lama yang salah"])
    _send(store, ids["Judul lama yang salah"])
    new_html = "✏️ <b>Koreksi</b> (10 Feb)\n\nJudul yang benar tentang pemilu"
    store.record_correction(ids["Judul lama yang salah"], new_html, {}, by=1, now=NOW)
    (post,) = store.published_posts(limit=5)
    assert post.html == new_html
    assert "Judul yang benar" in post.title and "lama" not in post.title
    assert "lama" not in post.text
