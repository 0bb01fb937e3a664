"""Configs that used to pass check-config and then crash `run`, crash check-config itself, or
be accepted silently: each is refused, exit 2, naming the key, without a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml

from bot.cli import main

FEED = {"url": "https://a.example/rss"}

REFUSED = {
    "poll_tick zero": ({"poll_tick": 0}, "poll_tick"),
    "poll_tick negative": ({"poll_tick": -30}, "poll_tick"),
    "global_per_second inf": (
        {"telegram": {"global_per_second": float("inf")}}, "telegram.global_per_second"
    ),
    "chat_per_second nan": (
        {"telegram": {"chat_per_second": float("nan")}}, "telegram.chat_per_second"
    ),
    "database without driver": ({"database": "mysql://u@127.0.0.1/humas"}, "database"),
    "database unknown scheme": ({"database": "oracle+nope://x"}, "database"),
    "database not a url": ({"database": "humasbot.db"}, "database"),
    "taxonomy missing": ({"taxonomy": "/nonexistent/taxonomy.yaml"}, "taxonomy"),
    "places missing": ({"places": "/nonexistent/places.yaml"}, "places"),
    "huge duration seconds": ({"max_item_age": 10**30}, "max_item_age"),
    "huge duration text": ({"max_item_age": "99999999999999999999d"}, "max_item_age"),
    "huge duration float": ({"dedupe": {"window": 1e300}}, "dedupe.window"),
    "huge feed interval": ({"feeds": [{**FEED, "interval": "9999999999d"}]}, "feeds.0.interval"),
    "admins true": ({"admins": [True]}, "admins.0"),
    "admins zero": ({"admins": [0]}, "admins.0"),
    "admin_chat_id true": ({"admin_chat_id": True}, "admin_chat_id"),
    "chat_id true": ({"channels": [{"chat_id": True}]}, "channels.0.chat_id"),
    "chat_id false": ({"channels": [{"chat_id": False}]}, "channels.0.chat_id"),
    "chat_id zero": ({"channels": [{"chat_id": 0}]}, "channels.0.chat_id"),
    "chat_id zero text": ({"channels": [{"chat_id": "0"}]}, "channels.0.chat_id"),
    "language": ({"language": "fr"}, "language"),
    "schedule_grace negative": ({"schedule_grace": -60}, "schedule_grace"),
    "claim_lease zero": ({"telegram": {"claim_lease": 0}}, "telegram.claim_lease"),
}  # fmt: skip


@pytest.fixture(autouse=True)
def root_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def check(path: Path, capsys) -> tuple[int, str]:
    code = main(["check-config", str(path)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize(("data", "key"), REFUSED.values(), ids=REFUSED.keys())
def test_each_bad_config_is_refused_naming_the_key(tmp_path, capsys, data, key):
    path = tmp_path / "humasbot.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, output = check(path, capsys)
    assert code == 2, output
    assert "Traceback" not in output
    assert f"{key}:" in output, output


def test_a_binary_file_is_refused_without_a_traceback(tmp_path, capsys):
    path = tmp_path / "humasbot.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x80")
    code, output = check(path, capsys)
    assert code == 2 and "Traceback" not in output
    assert str(path) in output and "UTF-8" in output


def test_the_usual_values_still_pass(tmp_path, capsys):
    path = tmp_path / "humasbot.yaml"
    data = {
        "database": f"sqlite:///{tmp_path / 'bot.db'}",
        "poll_tick": "30s",
        "schedule_grace": 0,
        "admins": [42],
        "admin_chat_id": -1009000,
        "language": "en",
        "retention": {"personal_data": "365d"},
        "channels": [{"chat_id": -1001001}, {"chat_id": "@humas_kaltim"}],
    }
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, output = check(path, capsys)
    assert code == 0, output


DUPLICATES = {
    "same number": [-1001001, -1001001],
    "text and number": ["-1001001", -1001001],
    "username case": ["@Humas_Kaltim", "@humas_kaltim"],
}


@pytest.mark.parametrize("chat_ids", DUPLICATES.values(), ids=DUPLICATES.keys())
@pytest.mark.parametrize("command", ["check-config", "run"])
def test_duplicate_chat_ids_are_refused_naming_both_entries(
    tmp_path, capsys, monkeypatch, chat_ids, command
):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:never-used")
    path = tmp_path / "humasbot.yaml"
    channels = [
        {"chat_id": chat_ids[0], "name": "Humas Kaltim"},
        {"chat_id": chat_ids[1], "name": "Kanal Tinjauan", "mode": "review"},
    ]
    path.write_text(yaml.safe_dump({"channels": channels}), encoding="utf-8")
    argv = (
        ["check-config", str(path)] if command == "check-config" else ["--config", str(path), "run"]
    )
    code = main(argv)
    output = capsys.readouterr().err
    assert code == 2 and "Traceback" not in output
    assert "channels.0 (Humas Kaltim" in output and "channels.1 (Kanal Tinjauan" in output
