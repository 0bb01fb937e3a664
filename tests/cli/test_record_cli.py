"""`humasbot audit` with its filters and `humasbot retention`, as an operator runs them: they
go through the same services as the panel (bot.services.history)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.storage import Store

FIRST_EVENING = datetime(2024, 2, 1, 15, 30, tzinfo=UTC)  # 23:30 on 1 February in Makassar
SECOND_MORNING = datetime(2024, 2, 2, 1, 0, tzinfo=UTC)  # 09:00 on the 2nd


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture
def config_path(tmp_path: Path, database: str) -> str:
    store = Store(database)
    for at, name, action in [
        (FIRST_EVENING, "@humas_kaltim", "jeda"),
        (SECOND_MORNING, "@humas_kaltim", "lanjut"),
        (SECOND_MORNING, "@diskominfo", "siarkan"),
        (datetime.now(UTC) - timedelta(days=400), "@lama", "siarkan"),
    ]:
        store.record_audit(user_id=7, user_name=name, chat_id=7, action=action, detail="", now=at)
    store.close()
    path = tmp_path / "humasbot.yaml"
    path.write_text(yaml.safe_dump({"database": database, "timezone": "Asia/Makassar"}), "utf-8")
    return str(path)


def audit_json(config_path: str, capsys: pytest.CaptureFixture[str], *options: str) -> list[dict]:
    assert main(["--config", config_path, "audit", "--format", "json", *options]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_the_record_is_filtered_by_local_days_actor_and_kind(config_path, capsys):
    first = audit_json(config_path, capsys, "--since", "2024-02-01", "--until", "2024-02-01")
    assert [(r["action"], r["at"]) for r in first] == [("jeda", "2024-02-01T23:30:00+08:00")]
    kaltim = audit_json(config_path, capsys, "--since", "2024-02-01", "--actor", "KALTIM")
    assert [r["action"] for r in kaltim] == ["jeda", "lanjut"]
    deliveries = audit_json(config_path, capsys, "--kind", "delivery")
    assert deliveries == []


def test_an_unknown_kind_or_date_is_refused(config_path, capsys):
    assert main(["--config", config_path, "audit", "--kind", "semua"]) == 2
    assert "--kind" in capsys.readouterr().err
    assert main(["--config", config_path, "audit", "--until", "besok"]) == 2
    assert "--until" in capsys.readouterr().err


def test_retention_forgets_old_names_and_is_itself_recorded(config_path, database, capsys):
    assert main(["--config", config_path, "retention"]) == 0
    assert "4 catatan admin dianonimkan" in capsys.readouterr().out  # every one, a year old
    store = Store(database)
    entries = store.audit_entries()
    store.close()
    assert (entries[0].action, entries[0].user_name) == ("retention", "cli")
    assert [e.user_name for e in entries[1:]] == [None] * 4
