"""One post broadcast to N channels through the real outbox, against a local Bot API server that
enforces Telegram's flood limits (tests/fakes/bot_api.py).

    python bench/broadcast.py [--channels 600] [--fault-rate 0.1] [--kills 3] [--clean-only]

Run 1 (clean): the outbox in this process. Run 2 (faults): ~fault-rate of the sends fail (5xx,
dropped before, delivered-then-dropped) while a real `humasbot run` subprocess broadcasts and is
SIGKILLed `--kills` times and restarted. Prints one JSON object: wall time, messages per second,
429s, duplicates (and why), lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from sqlalchemy import select  # noqa: E402

from bot.settings import Config, TelegramConfig  # noqa: E402
from bot.storage import Store  # noqa: E402
from bot.storage.tables import ChannelRow, DeliveryRow  # noqa: E402
from tests.deliver.outbox_support import channel_configs, queue_posts  # noqa: E402
from tests.fakes.bot_api import FakeBotAPI  # noqa: E402

TOKEN = "123456:BENCH-token-abcdefghijklmnopqrstuvwxyz"
FAULTS = ("500", "502", "drop", "drop_after")


class FaultyBotAPI(FakeBotAPI):
    """Fails about `rate` of the sends at random, spread evenly over FAULTS."""

    def __init__(self, *args: Any, rate: float, seed: int = 5, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rate, self.random = rate, random.Random(seed)

    def _take_fault(self, method: str) -> dict[str, Any] | None:
        if method.lower() in ("sendmessage", "sendphoto") and self.random.random() < self.rate:
            kind = self.random.choice(FAULTS)
            return {"kind": kind, "retry_after": 1, "description": None, "seconds": 0}
        return super()._take_fault(method)


def chats(count: int) -> list[int]:
    return [-1001500000000 - i for i in range(count)]


def prepare(database: str, chat_ids: list[int]) -> None:
    store = Store(database)
    store.sync_channels(channel_configs(chat_ids))
    queue_posts(store, 1, prefix="Siaran")
    store.close()


def delivered(server: FakeBotAPI, chat_ids: list[int]) -> Counter[int]:
    """Messages that reached each chat (a delivered-then-dropped send counts: it arrived)."""
    return Counter({chat: len(server.messages(chat)) for chat in chat_ids})


def rate_figures(server: FakeBotAPI) -> dict[str, Any]:
    sends = server.calls(method="sendMessage")
    times = [c["time"] for c in sends]
    span = max(times) - min(times) if len(times) > 1 else 0.0
    ok = sum(1 for c in sends if c["ok"])
    return {
        "send_span_s": round(span, 2),
        "messages_per_second": round((ok - 1) / span, 2) if span else None,
        "http_429": len(server.calls(method="sendMessage", status=429)),
        "worst_second": max(sum(1 for t in times if s <= t < s + 1) for s in times),
    }


def losses(counts: Counter[int], chat_ids: list[int]) -> dict[str, int]:
    return {
        "lost": sum(1 for chat in chat_ids if counts[chat] == 0),
        "duplicates": sum(max(0, counts[chat] - 1) for chat in chat_ids),
    }


async def clean_run(count: int) -> dict[str, Any]:
    from telegram import Bot

    from bot.deliver.telegram import TelegramSink
    from bot.notify import AdminNotifier
    from bot.pipeline.outbox import Outbox
    from bot.services import make_pacer

    chat_ids = chats(count)
    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI(chat_ids, limits=True) as server:
        database = f"sqlite:///{tmp}/bench.db"
        prepare(database, chat_ids)
        config = Config(database=database, channels=channel_configs(chat_ids))
        store = Store(database)
        async with Bot(TOKEN, base_url=server.base_url) as bot:
            sink = TelegramSink(bot)
            pacer = make_pacer(config)
            outbox = Outbox(config, store, sink, pacer, AdminNotifier(config, sink, pacer))
            started = time.monotonic()
            report = await outbox.deliver()
            wall = time.monotonic() - started
        store.close()
        counts = delivered(server, chat_ids)
        return {
            "channels": count,
            "wall_s": round(wall, 2),
            "sent": report.sent,
            **rate_figures(server),
            **losses(counts, chat_ids),
        }


def start_service(config_path: Path, server: FakeBotAPI, log: Any) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "TELEGRAM_API_BASE_FILE_URL": server.base_file_url,
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "bot", "--config", str(config_path), "run"]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)


def row_states(database: str) -> dict[str, str]:
    store = Store(database)
    with store.session() as session:
        query = select(ChannelRow.chat_id, DeliveryRow.status).join(
            ChannelRow, ChannelRow.id == DeliveryRow.channel_id
        )
        states = {chat: status for chat, status in session.execute(query)}
    store.close()
    return states


def faulty_run(count: int, rate: float, kills: int, timeout: float) -> dict[str, Any]:
    chat_ids = chats(count)
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite:///{tmp}/bench.db"
        prepare(database, chat_ids)
        config_path = Path(tmp) / "humasbot.yaml"
        config = {
            "database": database,
            "poll_tick": "1s",
            "channels": [{"chat_id": chat} for chat in chat_ids],
        }
        config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
        server = FaultyBotAPI(chat_ids, limits=True, rate=rate).start()
        in_flight_at_kill: set[int] = set()
        sent_at_kill: dict[int, int] = {}  # chat -> messages it had when its row was 'sent'
        log_path = Path(tmp) / "service.log"
        log = log_path.open("ab")
        started = time.monotonic()
        service = start_service(config_path, server, log)
        try:
            for kill in range(1, kills + 1):
                server.wait_for_calls(count * kill // (kills + 1), timeout, ok=True)
                service.send_signal(signal.SIGKILL)
                service.wait()
                counts = delivered(server, chat_ids)
                for chat, status in row_states(database).items():
                    if status == "sending":
                        in_flight_at_kill.add(int(chat))
                    elif status == "sent":
                        sent_at_kill.setdefault(int(chat), counts[int(chat)])
                service = start_service(config_path, server, log)
            deadline = time.monotonic() + timeout
            while set(row_states(database).values()) - {"sent", "failed"}:
                if time.monotonic() > deadline:
                    raise TimeoutError("broadcast not finished")
                time.sleep(0.2)
            wall = time.monotonic() - started
        finally:
            service.send_signal(signal.SIGTERM)
            service.wait(timeout=30)
            server.stop()
            log.close()
        recovered = re.findall(r"outbox_recovered rows=(\d+)", log_path.read_text("utf-8"))
        counts = delivered(server, chat_ids)
        answer_lost = {
            int(c["chat_id"]) for c in server.calls(method="sendMessage", fault="drop_after")
        }
        duplicated = {chat for chat in chat_ids if counts[chat] > 1}
        states = Counter(row_states(database).values())
        return {
            "channels": count,
            "fault_rate": rate,
            "kills": kills,
            "wall_s": round(wall, 2),
            **rate_figures(server),
            "faults_injected": dict(
                Counter(c["fault"] for c in server.calls(method="sendMessage") if c["fault"])
            ),
            "rows": dict(states),
            "rows_requeued_after_kills": [int(n) for n in recovered],
            **losses(counts, chat_ids),
            "duplicated_chats_answer_lost": len(duplicated & answer_lost),
            "duplicated_chats_in_flight_at_kill": len(
                (duplicated - answer_lost) & in_flight_at_kill
            ),
            "duplicated_chats_unexplained": len(duplicated - answer_lost - in_flight_at_kill),
            "confirmed_sent_again": sum(
                1 for chat, had in sent_at_kill.items() if counts[chat] > had
            ),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=600)
    parser.add_argument("--fault-rate", type=float, default=0.1)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--clean-only", action="store_true")
    args = parser.parse_args()
    result: dict[str, Any] = {
        "limits": TelegramConfig().model_dump(include={"global_per_second", "max_in_flight"}),
        "clean": asyncio.run(clean_run(args.channels)),
    }
    if not args.clean_only:
        result["faults_and_kills"] = faulty_run(
            args.channels, args.fault_rate, args.kills, args.timeout
        )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
