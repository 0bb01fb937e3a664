"""Several real `humasbot run` processes on one database, against the local Bot API server: start
them, SIGKILL them, see who holds which lease. Used by the process tests and bench/instances.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml
from sqlalchemy import func, select

from bot.storage import Store
from bot.storage.db import make_engine
from bot.storage.schema import ChannelRow, DeliveryEventRow, DeliveryRow, FeedRow, LeaseRow
from tests.fakes.bot_api import FakeBotAPI

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:INSTANCES-token-never-logged"


def channel_ids(count: int) -> list[int]:
    return [-1001700000000 - i for i in range(count)]


@dataclass
class Instance:
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class Cluster:
    """`humasbot run` processes sharing `database`, each logging to its own file in `workdir`."""

    workdir: Path
    database: str
    api: FakeBotAPI
    settings: dict[str, Any]
    instances: list[Instance] = field(default_factory=list)
    _logs: list[IO[bytes]] = field(default_factory=list)

    @property
    def config_path(self) -> Path:
        return self.workdir / "humasbot.yaml"

    def write_config(self) -> None:
        """The config file, and the schema (so the leases can be read before anyone runs)."""
        config = {"database": self.database, **self.settings}
        self.config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
        Store(self.database).close()

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": self.api.base_url,
            "TELEGRAM_API_BASE_FILE_URL": self.api.base_file_url,
            "PYTHONPATH": str(ROOT),
        }

    def start(self, hostname: str | None = None) -> Instance:
        """A new instance; with `hostname` it runs as if on another machine (its own UTS
        namespace), so that only its lease, not its pid, tells the others it died."""
        if not self.config_path.exists():
            self.write_config()
        log_path = self.workdir / f"instance-{len(self.instances) + 1}.log"
        log = log_path.open("ab")
        self._logs.append(log)
        command = [sys.executable, "-m", "bot", "--config", str(self.config_path), "run"]
        if hostname:
            command = [*ON_HOST, hostname, *command]
        process = subprocess.Popen(
            command, env=self.env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log
        )
        instance = Instance(process, log_path)
        self.instances.append(instance)
        return instance

    def kill(self, instance: Instance) -> None:
        instance.process.send_signal(signal.SIGKILL)
        instance.process.wait()  # reaped: its pid no longer looks alive

    def living(self) -> list[Instance]:
        return [i for i in self.instances if i.alive()]

    def stop(self) -> None:
        for instance in self.living():
            instance.process.send_signal(signal.SIGTERM)
        for instance in self.instances:
            try:
                instance.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill(instance)
        for log in self._logs:
            log.close()

    def logs(self) -> str:
        return "\n".join(
            f"--- {i.log.name} (pid {i.pid})\n" + i.log.read_text("utf-8", "replace")[-4000:]
            for i in self.instances
        )

    # --- the database, read from outside -------------------------------------------------------

    def leases(self) -> dict[str, tuple[str | None, Any]]:
        engine = make_engine(self.database)
        try:
            with engine.connect() as conn:
                rows = conn.execute(select(LeaseRow.name, LeaseRow.holder, LeaseRow.expires_at))
                return {name: (holder, expires) for name, holder, expires in rows}
        finally:
            engine.dispose()

    def holder(self, role: str) -> Instance | None:
        """The living instance holding `role` (a lease row's holder names its pid)."""
        holder, _ = self.leases().get(role, (None, None))
        pid = holder_pid(holder)
        return next((i for i in self.living() if i.pid == pid), None)

    def delivery_states(self) -> dict[int, str]:
        engine = make_engine(self.database)
        try:
            with engine.connect() as conn:
                query = select(ChannelRow.chat_id, DeliveryRow.status).join(
                    ChannelRow, ChannelRow.id == DeliveryRow.channel_id
                )
                return {int(chat): status for chat, status in conn.execute(query)}
        finally:
            engine.dispose()

    def feeds_in_check(self) -> int:
        """Feeds an instance has claimed and is checking now."""
        engine = make_engine(self.database)
        try:
            with engine.connect() as conn:
                query = select(func.count()).where(FeedRow.claimed_by.is_not(None))
                return int(conn.scalar(query) or 0)
        finally:
            engine.dispose()

    def requeued_chats(self) -> set[int]:
        """Chats whose delivery went back to the pool because its worker died mid-send."""
        engine = make_engine(self.database)
        try:
            with engine.connect() as conn:
                query = select(DeliveryEventRow.chat_id).where(
                    DeliveryEventRow.outcome == "requeued"
                )
                return {int(chat) for chat in conn.scalars(query)}
        finally:
            engine.dispose()


ON_HOST = ["unshare", "--uts", "sh", "-c", 'hostname "$0" && exec "$@"']


def can_fake_hosts() -> bool:
    """Whether instances can be given hostnames of their own (root, with unshare)."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run([*ON_HOST, "probe", "true"], capture_output=True, check=False)
    return probe.returncode == 0


def holder_pid(holder: str | None) -> int | None:
    """A worker token is host:pid:nonce."""
    parts = (holder or "").split(":")
    return int(parts[1]) if len(parts) >= 3 and parts[1].isdigit() else None


def wait_until(condition: Callable[[], Any], timeout: float, what: str, step: float = 0.1) -> Any:
    """Poll with a deadline until condition() is truthy; returns its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout} s")
        time.sleep(step)


def arrivals(api: FakeBotAPI, chat_ids: Iterable[int]) -> Counter[int]:
    """Messages that reached each chat."""
    return Counter({chat: len(api.messages(chat)) for chat in chat_ids})


def send_rate(api: FakeBotAPI) -> dict[str, Any]:
    sends = api.calls(method="sendMessage")
    times = sorted(c["time"] for c in sends if c["ok"])
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    return {
        "send_span_s": round(span, 2),
        "messages_per_second": round((len(times) - 1) / span, 2) if span else None,
        "http_429": len(api.calls(method="sendMessage", status=429)),
    }
