"""docker-compose.yml: PostgreSQL plus two humasbot replicas sharing it. Docker cannot run here,
so the file's structure is checked, its variables are interpolated the way Compose does, and
the replicas' environment is loaded by the real config loader."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from bot.settings import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {"TELEGRAM_BOT_TOKEN": "123456:compose-test", "POSTGRES_PASSWORD": "rahasia"}
_VARIABLE = re.compile(r"\$\{(\w+)(?::\?[^}]*)?\}")


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    return data


def _interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${VAR} and ${VAR:?message}: the variable's value, or an error when unset."""

    def one(match: re.Match[str]) -> str:
        if match[1] not in env:
            raise KeyError(match[1])
        return env[match[1]]

    return _VARIABLE.sub(one, value)


def test_postgres_and_two_replicas_sharing_it():
    services = _compose()["services"]
    postgres, bot = services["postgres"], services["humasbot"]
    assert postgres["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert postgres["volumes"][0].split(":")[0] in _compose()["volumes"]
    assert bot["deploy"]["replicas"] == 2
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "container_name" not in bot  # replicas need names of their own
    assert bot["ports"] == ["8080-8081:8080"]  # each replica's /metrics on a host port of its own


def test_secrets_come_from_the_environment_and_must_be_set():
    services = _compose()["services"]
    env = services["humasbot"]["environment"]
    assert env["TELEGRAM_BOT_TOKEN"].startswith("${TELEGRAM_BOT_TOKEN:?")
    assert "${POSTGRES_PASSWORD:?" in env["HUMASBOT_DATABASE"]
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_")
    with pytest.raises(KeyError):
        _interpolate(env["TELEGRAM_BOT_TOKEN"], {})


def test_the_replicas_config_points_them_at_the_postgres_service(monkeypatch):
    services = _compose()["services"]
    env = {k: _interpolate(str(v), SECRETS) for k, v in services["humasbot"]["environment"].items()}
    database = make_url(env["HUMASBOT_DATABASE"])
    assert database.drivername == "postgresql+psycopg" and database.host == "postgres"
    postgres_env = services["postgres"]["environment"]
    assert database.username == postgres_env["POSTGRES_USER"]
    assert database.database == postgres_env["POSTGRES_DB"]
    assert database.password == SECRETS["POSTGRES_PASSWORD"]

    mount = next(v for v in services["humasbot"]["volumes"] if v.endswith(":/config:ro"))
    config_dir = ROOT / mount.split(":")[0]
    config_path = Path(env["HUMASBOT_CONFIG"].replace("/config", str(config_dir), 1))
    monkeypatch.setenv("HUMASBOT_DATABASE", env["HUMASBOT_DATABASE"])
    config = load_config(config_path)
    assert config.database == env["HUMASBOT_DATABASE"]
    assert config.http.listen == "0.0.0.0:8080"  # the image's HEALTHCHECK and the published port

    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    assert 'CMD ["humasbot", "run"]' in dockerfile and "HUMASBOT_CONFIG=/config/" in dockerfile


def test_a_wrong_database_in_the_environment_is_a_config_error(monkeypatch):
    monkeypatch.setenv("HUMASBOT_DATABASE", "mysql://x@db/humasbot")
    with pytest.raises(ConfigError, match="HUMASBOT_DATABASE: basis data 'mysql' tidak didukung"):
        load_config(ROOT / "config" / "humasbot.yaml")
