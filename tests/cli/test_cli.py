"""The command line as a user meets it: demo, analyze, check-config, and the README."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from bot.cli import build_parser, main
from bot.handlers import all_commands
from bot.settings import Config

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "tests" / "data" / "e2e_articles.jsonl"


def run_cli(
    *args: str, stdin: str | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )


def test_demo_prints_posts_per_channel_without_a_token(tmp_path):
    result = run_cli("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "@humas_kaltim_demo" in result.stdout and "-1001000000002" in result.stdout
    assert result.stdout.count("<b>") >= 4
    assert "Demo selesai" in result.stdout
    assert (tmp_path / "humasbot-demo.db").is_file()


def test_analyze_writes_one_line_per_article_in_order():
    lines = ARTICLES.read_text(encoding="utf-8").splitlines()
    result = run_cli("analyze", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [json.loads(line)["id"] for line in lines]
    for record in out:
        assert set(record) >= {"id", "is_election", "score", "reasons", "quotes", "lead", "post"}
        assert isinstance(record["is_election"], bool) and isinstance(record["score"], float)
        assert record["lead"] is None or len(record["lead"].split()) >= 6
        keys = {"text", "speaker", "speaker_name", "speaker_role"}
        assert all(set(q) == keys for q in record["quotes"])
    expected = {json.loads(line)["id"]: json.loads(line)["is_election"] for line in lines}
    assert {o["id"]: o["is_election"] for o in out} == expected


def test_analyze_gives_each_speakers_name_and_role_and_the_lead():
    article = {
        "id": "kpu-paser",
        "title": "KPU Paser gelar simulasi",
        "text": (
            "TANAH GROGOT – KPU Paser menggelar simulasi pemungutan suara di Tanah Grogot.\n"
            "Ketua KPU Paser Dr. H. Abdul Qadir Jailani, M.Si. memimpin simulasi itu.\n"
            "“Satu pemilih rata-rata butuh empat menit,” kata Ketua KPU itu."
        ),
        "description": "KPU Paser menggelar simulasi.",
    }
    result = run_cli("analyze", stdin=json.dumps(article) + "\n")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["lead"] == "KPU Paser menggelar simulasi pemungutan suara di Tanah Grogot."
    [quote] = record["quotes"]
    assert quote["speaker_name"] == "Abdul Qadir Jailani"
    assert quote["speaker_role"] == "Ketua KPU Paser"
    assert quote["speaker"].startswith("Ketua KPU Paser")


def test_analyze_reads_a_file_and_reports_bad_lines_without_stopping(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "title": null, "text": "KPU menetapkan DPT Pemilu.", "published": "2024"}\n'
        "bukan json\n"
        '{"id": "c", "title": "Banjir", "text": "Hujan deras.", "published": "2018-11"}\n',
        encoding="utf-8",
    )
    result = run_cli("analyze", str(source))
    assert result.returncode == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", None, "c"]
    assert "error" in out[1] and "line 2" in result.stderr


def test_check_config_names_the_wrong_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("feeds:\n  - url: https://a.example/rss\n    interval: 10s\nchanels: []\n")
    result = run_cli("check-config", str(bad))
    assert result.returncode == 2
    assert "feeds.0.interval" in result.stderr and "chanels" in result.stderr
    good = run_cli("check-config", str(ROOT / "config" / "humasbot.yaml"))
    assert good.returncode == 0 and "valid" in good.stdout


def test_commands_that_need_telegram_refuse_without_a_token(capsys, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["--config", str(ROOT / "config" / "humasbot.yaml"), "poll", "--once"]) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def _config_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys += _config_keys(annotation, f"{prefix}{name}.")
        elif name in ("feeds", "channels"):
            item = annotation.__args__[0]
            keys += [f"{name}[].{sub}" for sub in item.model_fields]
        else:
            keys.append(prefix + name)
    return keys


@pytest.mark.parametrize("key", _config_keys(Config))
def test_readme_documents_every_config_key(key):
    assert f"`{key}`" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", all_commands())
def test_readme_documents_every_bot_command(command):
    assert f"/{command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_documents_every_subcommand():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    for name in subparsers.choices:
        assert re.search(rf"`humasbot {name}\b", readme), name


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")
