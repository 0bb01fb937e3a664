"""`humasbot db copy FROM_URL TO_URL`: a SQLite database filled by a real `poll --once` (and by
admins' actions) copied to SQLite and to PostgreSQL; the service on the copy sends what was
pending and nothing that was already sent."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, create_engine, select

from bot.cli import main
from bot.storage import Store
from bot.storage.broadcasts import Draft
from bot.storage.copy import copied_tables
from bot.storage.db import make_engine
from bot.storage.schema import BroadcastRow, DeliveryRow
from tests.e2e.conftest import CHANNELS, humasbot
from tests.e2e.feeds import election_titles
from tests.fakes.bot_api import FakeBotAPI
from tests.pipeline.support import queue_broadcast

NOW = datetime.now(UTC)
PENDING_TEXT = "Siaran yang belum terkirim"


def _config(tmp_path: Path, name: str, database: str, feeds_url: str) -> Path:
    config = {
        "database": database,
        "admins": [42],
        "feeds": [{"url": f"{feeds_url}/berita.rss", "name": "Berita Uji"}],
        "channels": [{"chat_id": chat_id, "name": title} for chat_id, title in CHANNELS.items()],
        "fetch": {"allow_private_addresses": True},
        "parse_workers": 0,
    }
    path = tmp_path / name
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


@pytest.fixture
def source(tmp_path: Path, bot_api: FakeBotAPI, feeds: Any, bot_env: dict[str, str]) -> str:
    """A SQLite database as a service leaves it: posts sent, a broadcast still pending, admins'
    actions recorded."""
    url = f"sqlite:///{tmp_path / 'source.db'}"
    config = _config(tmp_path, "source.yaml", url, feeds.url)
    result = humasbot("--config", str(config), "poll", "--once", env=bot_env)
    assert result.returncode == 0, result.stderr
    store = Store(url)
    store.add_admin(7_000_000_001, by=42, now=NOW)  # a user id beyond 32 bits
    store.record_audit(
        user_id=42, user_name="@admin", chat_id=42, action="broadcast_draft", detail="#1", now=NOW
    )
    store.subscribe(555, "Warga", None)
    draft = Draft(
        html="Selamat pagi",
        image=None,
        targets=None,
        run_at=NOW.replace(year=NOW.year + 1),
        repeat="daily",
        content="text",
        timezone="Asia/Makassar",
        created_by=42,
        created_by_name="@admin",
        created_in=42,
    )
    assert store.confirm_broadcast(store.create_broadcast(draft, now=NOW)) is not None
    store.await_press("tr", 42, {"item_id": 1, "text": ""}, now=NOW)
    queue_broadcast(store, list(CHANNELS), NOW, html=PENDING_TEXT)
    store.close()
    return url


def _contents(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as conn:
        return {
            table.name: [
                dict(row._mapping)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in copied_tables()
        }


def _statuses(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        statuses = list(conn.scalars(select(DeliveryRow.status)))
    engine.dispose()
    return {status: statuses.count(status) for status in set(statuses)}


def test_copy_then_the_copy_sends_exactly_what_was_pending(
    tmp_path, source, database_url, bot_api, feeds, bot_env
):
    posts = len(election_titles()) * len(CHANNELS)
    assert _statuses(source) == {"sent": posts, "pending": len(CHANNELS)}

    copied = humasbot("db", "copy", source, database_url, env=bot_env)
    assert copied.returncode == 0, copied.stderr
    assert f"deliveries: {posts + len(CHANNELS)}/{posts + len(CHANNELS)} baris" in copied.stdout
    assert "leases" not in copied.stdout and "Selesai:" in copied.stdout

    source_engine, target_engine = create_engine(source), make_engine(database_url)
    before, after = _contents(source_engine), _contents(target_engine)
    assert before["items"] and before["delivery_events"] and before["story_keys"] is not None
    assert after == before  # every row of every table, value for value
    source_engine.dispose()
    target_engine.dispose()

    sends = len(bot_api.calls(method="sendMessage", ok=True))
    config = _config(tmp_path, "target.yaml", database_url, feeds.url)
    result = humasbot("--config", str(config), "poll", "--once", "--all", env=bot_env)
    assert result.returncode == 0, result.stderr
    new = bot_api.calls(method="sendMessage", ok=True)[sends:]
    assert sorted(call["chat_id"] for call in new) == sorted(CHANNELS)
    assert {call["text"] for call in new} == {PENDING_TEXT}
    assert _statuses(database_url) == {"sent": posts + len(CHANNELS)}

    store = Store(database_url)  # new rows get fresh ids after the copied ones
    store.record_audit(user_id=42, user_name=None, chat_id=None, action="x", detail="", now=NOW)
    assert store.added_admins() == [7_000_000_001]
    with store.session() as session:
        assert session.scalar(select(BroadcastRow.status)) == "pending"
    store.close()


def _small_source(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'small.db'}"
    store = Store(url)
    store.add_admin(43, by=42, now=NOW)
    store.subscribe(555, "Warga", None)
    store.close()
    return url


def _admins(url: str) -> list[int]:
    store = Store(url)
    admins = store.added_admins()
    store.close()
    return admins


def test_a_target_holding_data_is_refused_and_left_alone(tmp_path, database_url, capsys):
    source = _small_source(tmp_path)
    assert main(["db", "copy", source, database_url]) == 0
    assert "bot_admins: 1/1 baris" in capsys.readouterr().out
    Store(source).add_admin(44, by=42, now=NOW)
    assert main(["db", "copy", source, database_url]) == 1
    refusal = capsys.readouterr().err
    assert "sudah berisi data" in refusal and "bot_admins" in refusal
    assert "Tidak ada yang diubah" in refusal
    assert _admins(database_url) == [43]


def test_bad_sources_and_urls_are_refused(tmp_path, capsys):
    target = f"sqlite:///{tmp_path / 'target.db'}"
    assert main(["db", "copy", f"sqlite:///{tmp_path / 'nope.db'}", target]) == 1
    assert "berkas SQLite sumber tidak ada" in capsys.readouterr().err
    assert not (tmp_path / "nope.db").exists() and not (tmp_path / "target.db").exists()
    assert main(["db", "copy", "mysql://x@h/db", target]) == 2
    assert "tidak didukung" in capsys.readouterr().err
    assert main(["db", "copy", target, target]) == 1
    assert "sama" in capsys.readouterr().err
