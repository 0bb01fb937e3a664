"""A database made by the previous schema is brought up to date when the bot opens it: admin
broadcasts' items get their flag, and retraction and correction results their language-neutral
codes."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, inspect, select, text, update

from bot.format.listing import inactive_reason
from bot.storage import Store, db
from bot.storage.broadcasts import Draft
from bot.storage.channels import CONFIG_REMOVED
from bot.storage.deliveries import Hold
from bot.storage.editorial import DELETED, EDITED
from bot.storage.schema import (
    ChannelRow,
    CorrectionRow,
    ItemRow,
    RetractionRow,
    SchemaVersion,
)
from tests.deliver.outbox_support import channel_configs, queue_posts

NOW = datetime(2024, 2, 14, 8, 0, tzinfo=UTC)
CHAT = -1001500000000
# The versions a database of the previous schema had: those before the broadcast flag.
PREVIOUS = db.MIGRATIONS.index(db._broadcast_items)


def _draft() -> Draft:
    return Draft("<b>Siaran</b>", None, None, None, "once", "text", "Asia/Jakarta", 1, "A", 1)


def _fill(store: Store) -> tuple[int, int]:
    """A feed post and a broadcast run, both queued to CHAT; the feed post retracted from one
    chat and corrected in another. Returns (feed item, broadcast item)."""
    store.sync_channels(channel_configs([CHAT]))
    [post] = queue_posts(store, now=NOW)
    broadcast = store.create_broadcast(_draft(), now=NOW)
    assert store.confirm_broadcast(broadcast) is not None
    ran = store.run_broadcast(
        broadcast, expected_run_at=None, html="Siaran", image=None, now=NOW, next_run_at=None
    )
    assert ran == 1
    run = store.latest_run_item(broadcast)
    assert run is not None
    store.record_retraction(post, {"-1": DELETED, "-2": "Forbidden"}, by=1, now=NOW)
    store.record_correction(post, "baru", {"-1": EDITED}, by=1, now=NOW)
    return post, run


def _as_previous_schema(store: Store) -> None:
    """Take the database back to what the previous schema made of the same data."""
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE items DROP COLUMN is_broadcast"))
        conn.execute(update(RetractionRow).values(results={"-1": "dihapus", "-2": "Forbidden"}))
        conn.execute(update(CorrectionRow).values(results={"-1": "diubah"}))
        conn.execute(delete(SchemaVersion).where(SchemaVersion.version > PREVIOUS))


def test_a_database_of_the_previous_schema_is_upgraded(database_url: str):
    store = Store(database_url)
    post, run = _fill(store)
    _as_previous_schema(store)
    store.close()
    assert "is_broadcast" not in {c["name"] for c in inspect(store.engine).get_columns("items")}

    store = Store(database_url)
    with store.session() as session:
        flags = {i: flag for i, flag in session.execute(select(ItemRow.id, ItemRow.is_broadcast))}
        assert flags == {post: False, run: True}
        assert session.scalars(select(RetractionRow.results)).all() == [
            {"-1": DELETED, "-2": "Forbidden"}
        ]
        assert session.scalars(select(CorrectionRow.results)).all() == [{"-1": EDITED}]
        versions = session.scalars(select(SchemaVersion.version)).all()
    assert sorted(versions) == list(range(1, len(db.MIGRATIONS) + 1))
    # A pause of every channel holds the feed post back, not the broadcast.
    [job] = store.claim_jobs("w", now=NOW, limit=10, hold=Hold(everywhere=True))
    assert job.broadcast and job.meta["item_id"] == str(run)
    store.close()


def test_the_upgrade_steps_change_nothing_on_an_up_to_date_database(database_url: str):
    store = Store(database_url)
    post, run = _fill(store)
    with store.engine.begin() as conn:
        for step in db.MIGRATIONS[PREVIOUS:]:
            step(conn)
    with store.session() as session:
        flags = {i: flag for i, flag in session.execute(select(ItemRow.id, ItemRow.is_broadcast))}
        results = session.scalars(select(RetractionRow.results)).all()
    assert flags == {post: False, run: True}
    assert results == [{"-1": DELETED, "-2": "Forbidden"}]
    store.close()


def test_a_channel_the_config_dropped_keeps_a_code_not_english_words(database_url: str):
    store = Store(database_url)
    store.sync_channels(channel_configs([CHAT, CHAT - 1]))
    store.sync_channels(channel_configs([CHAT]))  # the config no longer lists CHAT - 1
    dropped = next(c for c in store.channel_list() if c.chat_id == str(CHAT - 1))
    assert (dropped.active, dropped.inactive_reason) == (False, CONFIG_REMOVED)

    with store.engine.begin() as conn:  # as a database of the previous schema stored it
        conn.execute(update(ChannelRow).values(inactive_reason="removed from the config"))
        conn.execute(
            delete(SchemaVersion).where(
                SchemaVersion.version > db.MIGRATIONS.index(db._inactive_reason_codes)
            )
        )
    store.close()
    store = Store(database_url)
    assert {c.inactive_reason for c in store.channel_list()} == {CONFIG_REMOVED}
    store.close()


def test_the_code_reads_in_the_readers_language_and_telegrams_words_stay_as_given():
    assert inactive_reason(CONFIG_REMOVED, "id") == "dihapus dari konfigurasi"
    assert inactive_reason(CONFIG_REMOVED, "en") == "removed from the config"
    assert inactive_reason("Forbidden: bot was kicked", "id") == "Forbidden: bot was kicked"
