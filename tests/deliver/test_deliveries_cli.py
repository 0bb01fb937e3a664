"""`humasbot deliveries [--json]` and `humasbot channels enable CHAT_ID`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import yaml

from bot.cli import main
from bot.models import SendOutcome
from bot.storage import Store
from tests.deliver.outbox_support import channel_configs, queue_posts

CHATS = [-1001400000001, -1001400000002]
NOW = datetime.now(UTC)


@pytest.fixture
def config_path(tmp_path):
    database = f"sqlite:///{tmp_path / 'cli.db'}"
    store = Store(database)
    store.sync_channels(channel_configs(CHATS))
    queue_posts(store, 2)
    jobs = {job.chat_id: job for job in store.claim_jobs("w:1:a", now=NOW, limit=5)}
    ok = SendOutcome("sent", message_id=9)
    store.record_outcome(jobs[CHATS[0]], ok, now=NOW, max_attempts=3)
    store.record_outcome(
        jobs[CHATS[1]], SendOutcome("channel_gone", error="Forbidden: bot was kicked"),
        now=NOW, max_attempts=3,
    )  # fmt: skip
    store.deactivate_channel(CHATS[1], "Forbidden: bot was kicked")
    store.close()
    path = tmp_path / "humasbot.yaml"
    channels = [{"chat_id": chat} for chat in CHATS]
    path.write_text(yaml.safe_dump({"database": database, "channels": channels}), "utf-8")
    return path


def test_deliveries_json_lines_per_channel(config_path, capsys):
    assert main(["--config", str(config_path), "deliveries", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["chat_id"] for line in lines] == [str(chat) for chat in CHATS]
    first, second = lines
    assert {"sent", "pending", "failed", "last_error", "last_success", "active"} <= set(first)
    assert (first["sent"], first["pending"], first["failed"], first["active"]) == (1, 1, 0, True)
    assert first["last_success"] is not None
    assert (second["sent"], second["pending"], second["active"]) == (0, 2, False)
    assert second["last_error"] == "Forbidden: bot was kicked"


def test_deliveries_table_and_enabling_a_channel(config_path, capsys):
    assert main(["--config", str(config_path), "deliveries"]) == 0
    table = capsys.readouterr().out
    assert "NONAKTIF" in table and str(CHATS[1]) in table
    assert main(["--config", str(config_path), "channels", "enable", str(CHATS[1])]) == 0
    assert "diaktifkan lagi" in capsys.readouterr().out
    assert main(["--config", str(config_path), "deliveries", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(line["active"] for line in lines)
    assert main(["--config", str(config_path), "channels", "enable", "-100999"]) == 1
