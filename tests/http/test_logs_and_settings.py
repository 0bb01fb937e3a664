"""`log.format: json` (one object a line, fields from the line's key=value facts, secrets never
shown) and the new settings: `http.listen`, `telegram.webhook_url`."""

from __future__ import annotations

import json
import logging

import pytest
import yaml

from bot.http.metrics import Metrics
from bot.log import JsonFormatter
from bot.settings import ConfigError, parse_config
from tests.e2e.conftest import ROOT, TOKEN, humasbot
from tests.http.conftest import SECRET, with_keys


def _record(msg: str, *args: object, level: int = logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord("bot.pipeline.cycle", level, __file__, 1, msg, args, None)


def test_json_lines_carry_the_logged_fields_with_their_types():
    record = _record(
        "feed failed feed_id=%s url=%s failures=%s error=%s", 3, "http://a/b", 2, "HTTP 500 x"
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "WARNING" and entry["logger"] == "bot.pipeline.cycle"
    assert entry["msg"] == "feed failed feed_id=3 url=http://a/b failures=2 error=HTTP 500 x"
    assert entry["ts"].endswith("+00:00")
    assert (entry["feed_id"], entry["failures"], entry["error"]) == (3, 2, "HTTP 500 x")


def test_json_fields_from_a_preformatted_summary():
    entry = json.loads(
        JsonFormatter().format(_record("outbox_pass %s", "sent=4 retry=0 elapsed=0.25"))
    )
    assert (entry["sent"], entry["retry"], entry["elapsed"]) == (4, 0, 0.25)


def test_json_lines_hide_secrets_even_in_tracebacks():
    try:
        raise RuntimeError(f"gagal {TOKEN} {SECRET}")
    except RuntimeError:
        import sys

        record = _record("boom chat_id=%s", 5)
        record.exc_info = sys.exc_info()
    line = JsonFormatter([TOKEN, SECRET]).format(record)
    assert TOKEN not in line and SECRET not in line and "<token>" in line
    assert json.loads(line)["chat_id"] == 5


@pytest.mark.slow
def test_poll_once_logs_json_without_the_token_or_the_secret(tmp_path, config_file, bot_env, feeds):
    # A feed whose URL carries both secrets: its failure is logged, redacted.
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["feeds"].append({"url": f"{feeds.url}/{TOKEN}/{SECRET}.rss"})
    config["log"] = {"format": "json"}
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {**bot_env, "TELEGRAM_WEBHOOK_SECRET": SECRET}
    result = humasbot(
        "--config", str(config_file), "poll", "--once", env=env, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert lines and all({"ts", "level", "logger", "msg"} <= set(line) for line in lines)
    failed = [line for line in lines if line["msg"].startswith("feed failed")]
    assert failed and failed[0]["url"].endswith("/<token>/<token>.rss")
    assert TOKEN not in result.stderr and SECRET not in result.stderr
    done = next(line for line in lines if line["msg"].startswith("poll cycle done"))
    assert done["feeds"] == 2 and done["failed"] == 1


@pytest.mark.parametrize("listen", ["0.0.0.0:8080", "127.0.0.1:9100", "[::1]:8080", "humasbot:80"])
def test_listen_accepts_host_and_port(listen):
    assert parse_config({"http": {"listen": listen}}).http.listen == listen


@pytest.mark.parametrize("listen", ["8080", ":8080", "127.0.0.1:", "127.0.0.1:0", "h:70000", "h:x"])
def test_listen_refuses_anything_else(listen):
    with pytest.raises(ConfigError, match=r"http\.listen"):
        parse_config({"http": {"listen": listen}})


@pytest.mark.slow
def test_check_config_names_a_bad_listen_and_a_webhook_without_server(config_file, bot_env):
    bad = with_keys(config_file, http={"listen": "semua:port"})
    result = humasbot("check-config", str(bad), env=bot_env, cwd=ROOT)
    assert result.returncode == 2 and "http.listen" in result.stderr
    config = yaml.safe_load(bad.read_text(encoding="utf-8"))
    del config["http"]
    config["telegram"] = {"webhook_url": "https://humas.example/telegram"}
    bad.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = humasbot("check-config", str(bad), env=bot_env, cwd=ROOT)
    assert result.returncode == 2 and "http.listen" in result.stderr
    assert "telegram.webhook_url" in result.stderr


def test_the_image_config_enables_the_server_and_checks_health():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "EXPOSE 8080" in dockerfile and "/healthz" in dockerfile and "HEALTHCHECK" in dockerfile
    image_config = yaml.safe_load((ROOT / "config" / "docker.yaml").read_text(encoding="utf-8"))
    assert parse_config(image_config).http.listen == "0.0.0.0:8080"
    sample = yaml.safe_load((ROOT / "config" / "humasbot.yaml").read_text(encoding="utf-8"))
    assert sample["http"] == {"listen": None}
    assert {**image_config, "http": None} == {**sample, "http": None}  # otherwise the sample


def test_each_metrics_has_its_own_registry():
    first, second = Metrics(), Metrics("postgresql")
    first.messages_sent.inc(3)
    assert b"humasbot_messages_sent_total 3.0" in first.exposition()
    assert b"humasbot_messages_sent_total 0.0" in second.exposition()
    assert b'database="postgresql"' in second.exposition()


def test_latency_runs_from_the_item_being_found():
    from datetime import UTC, datetime

    metrics = Metrics()
    metrics.delivered("2024-02-14T08:00:00+00:00", now=datetime(2024, 2, 14, 8, 0, 42, tzinfo=UTC))
    text = metrics.exposition().decode()
    assert "humasbot_delivery_latency_seconds_sum 42.0" in text
    assert 'humasbot_delivery_latency_seconds_bucket{le="60.0"} 1.0' in text
