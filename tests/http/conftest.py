"""Fixtures for the HTTP face: the e2e Bot API and feed servers, a config with `http.listen`,
and a real `humasbot run` process."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.e2e.conftest import bot_api, bot_env, config_file, feeds  # noqa: F401 (fixtures)
from tests.e2e.test_run import start_service

SECRET = "uji-Rahasia_webhook-123"
HOOK_PATH = "/telegram/kiriman"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def base(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def with_keys(path: Path, **extra: Any) -> Path:
    """Add sections (http=..., telegram=...) to a config file."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in extra.items():
        config.setdefault(key, {}).update(value)
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


@pytest.fixture
def polling_config(config_file: Path, port: int) -> Path:  # noqa: F811
    return with_keys(config_file, http={"listen": f"127.0.0.1:{port}"})


@pytest.fixture
def webhook_config(config_file: Path, base: str, port: int) -> Path:  # noqa: F811
    return with_keys(
        config_file,
        http={"listen": f"127.0.0.1:{port}"},
        telegram={"webhook_url": base + HOOK_PATH},
    )


@pytest.fixture
def webhook_env(bot_env: dict[str, str]) -> dict[str, str]:  # noqa: F811
    return {**bot_env, "TELEGRAM_WEBHOOK_SECRET": SECRET}


@pytest.fixture
def run_service() -> Iterator[Callable[[Path, dict[str, str]], subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def start(config: Path, env: dict[str, str]) -> subprocess.Popen[str]:
        process = start_service(config, env)
        started.append(process)
        return process

    yield start
    for process in started:  # SIGTERM first: a killed parent leaves its parse workers behind
        if process.poll() is None:
            process.terminate()
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate(timeout=10)


def wait_for(
    check: Callable[[], httpx.Response | None],
    until: Callable[[httpx.Response], bool],
    timeout: float = 30,
) -> httpx.Response:
    """Ask again until the answer satisfies `until` (or fail at the deadline with the last one)."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            last = check()
        except httpx.TransportError:
            last = None
        if last is not None and until(last):
            return last
        time.sleep(0.05)
    raise AssertionError(f"no satisfying answer in {timeout}s; last: {last and last.text}")


def get(url: str) -> httpx.Response:
    return httpx.get(url, timeout=10)


def metric(text: str, name: str) -> float:
    """The value of one sample (name with its labels, as in the exposition) or 0 when absent."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0
