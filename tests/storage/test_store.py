from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.models import Analysis, DeliveryJob, Item, Post, Quote, SendOutcome
from bot.settings import ChannelConfig, FeedConfig
from bot.storage import Store

NOW = datetime(2024, 2, 10, 8, 0, tzinfo=UTC)
AGE = timedelta(hours=24)


@pytest.fixture
def store(database_url):
    store = Store(database_url)
    store.sync_feeds(
        [FeedConfig(url="https://a.example/rss"), FeedConfig(url="https://b.example/rss")]
    )
    store.sync_channels([ChannelConfig(chat_id=-100111), ChannelConfig(chat_id="@kanal_humas")])
    yield store
    store.close()


def item(
    uid: str, published: datetime | None = NOW - timedelta(hours=1), title: str = "Judul"
) -> Item:
    return Item(
        uid=uid,
        title=title,
        link=f"https://a.example/{uid}",
        published=published,
        summary="",
        content="isi",
    )


def election(is_election: bool = True) -> Analysis:
    return Analysis(
        is_election=is_election,
        score=3.0,
        reasons=(),
        quotes=(Quote("Pemilu harus damai", "Ketua KPU Andi"), Quote("Terima kasih", None)),
        key_quotes=(Quote("Pemilu harus damai", "Ketua KPU Andi"),),
    )


def feed_id(store: Store, url: str = "https://a.example/rss") -> int:
    return next(f.id for f in store.due_feeds(NOW, every=True) if f.url == url)


def test_migrating_twice_keeps_the_data(database_url):
    url = database_url
    Store(url).sync_feeds([FeedConfig(url="https://a.example/rss")])
    again = Store(url)
    assert [f.url for f in again.due_feeds(NOW)] == ["https://a.example/rss"]


def test_new_feeds_are_due_and_a_checked_feed_waits(store):
    assert len(store.due_feeds(NOW)) == 2
    fid = feed_id(store)
    store.record_not_modified(fid, now=NOW, next_check=NOW + timedelta(minutes=5))
    assert [f.url for f in store.due_feeds(NOW)] == ["https://b.example/rss"]
    assert len(store.due_feeds(NOW, every=True)) == 2
    assert len(store.due_feeds(NOW + timedelta(minutes=6))) == 2


def test_feeds_removed_from_the_config_are_disabled(store):
    store.sync_feeds([FeedConfig(url="https://b.example/rss")])
    assert [f.url for f in store.due_feeds(NOW, every=True)] == ["https://b.example/rss"]


def test_add_items_returns_only_what_is_new(store):
    fid = feed_id(store)
    first = store.add_items(fid, [item("1"), item("2")], now=NOW, max_age=AGE)
    second = store.add_items(fid, [item("2"), item("3"), item("3")], now=NOW, max_age=AGE)
    assert [n.uid for n in first] == ["1", "2"]
    assert [n.uid for n in second] == ["3"]


def test_old_items_are_stored_but_not_postable(store):
    fid = feed_id(store)
    new = store.add_items(
        fid, [item("old", NOW - timedelta(days=3)), item("fresh")], now=NOW, max_age=AGE
    )
    assert {n.uid: n.postable for n in new} == {"old": False, "fresh": True}


def test_undated_items_are_postable_only_after_the_first_fetch(store):
    fid = feed_id(store)
    first = store.add_items(fid, [item("a", None)], now=NOW, max_age=AGE)
    later = store.add_items(fid, [item("b", None)], now=NOW, max_age=AGE)
    assert (first[0].postable, later[0].postable) == (False, True)


def test_election_analysis_queues_one_delivery_per_active_channel(store):
    fid = feed_id(store)
    [new] = store.add_items(fid, [item("1")], now=NOW, max_age=AGE)
    assert store.save_analysis(new.id, election(), Post(html="<b>x</b>"), now=NOW) == 2
    jobs = store.pending_jobs()
    assert {job.chat_id for job in jobs} == {-100111, "@kanal_humas"}
    assert all(job.post.html == "<b>x</b>" for job in jobs)


def test_non_election_and_unpostable_items_queue_nothing(store):
    fid = feed_id(store)
    a, b = store.add_items(
        fid, [item("1"), item("2", NOW - timedelta(days=9))], now=NOW, max_age=AGE
    )
    assert store.save_analysis(a.id, election(False), Post(html="x"), now=NOW) == 0
    assert store.save_analysis(b.id, election(True), Post(html="x"), now=NOW) == 0
    assert store.pending_jobs() == []


def test_pending_jobs_come_oldest_post_first(store):
    fid = feed_id(store)
    newer, older = store.add_items(
        fid,
        [item("newer", NOW - timedelta(hours=1)), item("older", NOW - timedelta(hours=5))],
        now=NOW,
        max_age=AGE,
    )
    for stored in (newer, older):
        store.save_analysis(stored.id, election(), Post(html=stored.uid), now=NOW)
    assert [job.post.html for job in store.pending_jobs()] == ["older", "older", "newer", "newer"]


def queue_one(store: Store) -> DeliveryJob:
    [new] = store.add_items(feed_id(store), [item("1")], now=NOW, max_age=AGE)
    store.save_analysis(new.id, election(), Post(html="x"), now=NOW)
    return store.pending_jobs()[0]


def test_a_sent_delivery_is_never_pending_again(store):
    job = queue_one(store)
    assert (
        store.record_outcome(job, SendOutcome("sent", message_id=7), now=NOW, max_attempts=3)
        == "sent"
    )
    assert job.delivery_id not in {j.delivery_id for j in store.pending_jobs()}
    assert store.delivery_counts()[str(job.chat_id)] == {"sent": 1}


def test_rate_limits_are_not_attempts_and_transient_failures_give_up_at_the_limit(store):
    job = queue_one(store)
    limited = SendOutcome("retry", rate_limited=True, retry_after=3)
    assert store.record_outcome(job, limited, now=NOW, max_attempts=2) == "pending"
    assert store.record_outcome(job, limited, now=NOW, max_attempts=2) == "pending"
    transient = SendOutcome("retry", error="HTTP 502")
    assert store.record_outcome(job, transient, now=NOW, max_attempts=2) == "pending"
    assert store.record_outcome(job, transient, now=NOW, max_attempts=2) == "failed"


def test_a_gone_channel_stops_receiving_and_keeps_its_pending_rows(store):
    job = queue_one(store)
    assert store.deactivate_channel(job.chat_id, "Forbidden: bot was kicked") is True
    assert store.deactivate_channel(job.chat_id, "again") is False
    assert job.chat_id not in {j.chat_id for j in store.pending_jobs()}
    store.record_outcome(job, SendOutcome("channel_gone", error="kicked"), now=NOW, max_attempts=3)
    assert store.delivery_counts()[str(job.chat_id)] == {"pending": 1}


def test_a_migrated_group_is_followed_to_its_new_id(store):
    job = queue_one(store)
    store.migrate_channel(job.chat_id, -100999)
    assert -100999 in {j.chat_id for j in store.pending_jobs()}


def test_a_channel_with_a_topic_receives_only_items_of_that_topic(store):
    with store.session() as session:
        from bot.storage.schema import ChannelRow

        session.add(ChannelRow(chat_id="777", kind="subscriber", topic="pilkada", active=True))
    fid = feed_id(store)
    pemilu, pilkada = store.add_items(fid, [item("1"), item("2")], now=NOW, max_age=AGE)
    store.save_analysis(pemilu.id, replace(election(), topics=("pemilu",)), Post(html="p"), now=NOW)
    store.save_analysis(
        pilkada.id, replace(election(), topics=("pilkada",)), Post(html="k"), now=NOW
    )
    assert [job.post.html for job in store.pending_jobs() if job.chat_id == 777] == ["k"]


def test_latest_posts_are_the_newest_election_posts(store):
    fid = feed_id(store)
    rows = store.add_items(
        fid,
        [item(str(i), NOW - timedelta(hours=i), f"Berita {i}") for i in range(1, 5)],
        now=NOW,
        max_age=AGE,
    )
    for stored in rows:
        store.save_analysis(stored.id, election(stored.uid != "2"), Post(html=stored.uid), now=NOW)
    for job in store.pending_jobs():  # public once sent
        store.record_outcome(job, SendOutcome("sent", message_id=1), now=NOW, max_attempts=3)
    assert [p.title for p in store.published_posts(limit=2)] == ["Berita 1", "Berita 3"]
