"""Broadcasts through the real outbox, against a local Bot API server that enforces Telegram's
flood limits (tests/fakes/bot_api.py).

    python bench/broadcast.py [--channels 600] [--fault-rate 0.1] [--kills 3] [--clean-only]
                              [--pacing new|old|both] [--no-flood]

Wide (clean): one post to `--channels` channels, the outbox in this process. Flood: 60 fresh
items into 3 channels (180 messages), the outbox in this process; run three ways at once (each
with its own server): the new pacing against the server as it is (about 1/s per chat, bursts of
3, for channels too), the new pacing against a server whose 1/s-per-chat rule covers private
chats only (`new_channels_burst`: groups and channels have just their 20-a-minute window), and
the old pacing. Faults: ~fault-rate of the sends fail (5xx, dropped before, delivered-then-
dropped) while a real `humasbot run` subprocess broadcasts and is SIGKILLed `--kills` times and
restarted. Prints one JSON object: span first to last send, messages per second, 429s, lost,
duplicates (and why).

The old pacing is the pacer before it counted at Telegram's limits, rebuilt by parameters: every
limit scaled by 0.95 (28/s overall, 19 a minute per channel, 0.95/s per chat without bursts).
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

from bot.deliver.pacer import Pacer  # noqa: E402
from bot.settings import Config, TelegramConfig  # noqa: E402
from bot.storage import Store  # noqa: E402
from bot.storage.schema import ChannelRow, DeliveryRow  # noqa: E402
from tests.deliver.outbox_support import channel_configs, queue_posts  # noqa: E402
from tests.fakes.bot_api import FakeBotAPI, FloodControl  # noqa: E402

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


class PrivateChatBucket(FloodControl):
    """Telegram's flood control with its ~1/s-per-chat rule for private chats only."""

    def admit(self, token: str, chat_id: int, now: float) -> float:
        if chat_id < 0:
            self.chat_tat.pop((token, chat_id), None)
        return super().admit(token, chat_id, now)


class ChannelsBurstBotAPI(FakeBotAPI):
    def _clear(self) -> None:
        super()._clear()
        if self.limits:
            self._flood = PrivateChatBucket(self.limits)


def new_pacer(config: Config, *, per_chat_in_groups: bool = True) -> Pacer:
    limits = config.telegram
    return Pacer(
        global_per_second=limits.global_per_second,
        group_per_minute=limits.group_per_minute,
        chat_per_second=limits.chat_per_second,
        per_chat_in_groups=per_chat_in_groups,
    )


def old_pacer(config: Config) -> Pacer:
    limits, margin = config.telegram, 0.95
    return Pacer(
        global_per_second=int(limits.global_per_second * margin),
        group_per_minute=int(limits.group_per_minute * margin),
        chat_per_second=limits.chat_per_second * margin,
        chat_burst=1,
    )


def chats(count: int) -> list[int]:
    return [-1001500000000 - i for i in range(count)]


def prepare(database: str, chat_ids: list[int], items: int = 1) -> None:
    store = Store(database)
    store.sync_channels(channel_configs(chat_ids))
    queue_posts(store, items, prefix="Siaran")
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
        "worst_minute_per_chat": worst_minute_per_chat(sends),
    }


def worst_minute_per_chat(sends: list[dict[str, Any]]) -> int:
    by_chat: dict[int, list[float]] = {}
    for call in sends:
        if call["ok"]:
            by_chat.setdefault(call["chat_id"], []).append(call["time"])
    return max(
        (sum(1 for t in times if s <= t < s + 60) for times in by_chat.values() for s in times),
        default=0,
    )


def losses(server: FakeBotAPI, chat_ids: list[int], items: int = 1) -> dict[str, int]:
    """Items that never reached a chat, and extra copies of the ones that did."""
    lost = duplicates = 0
    for chat in chat_ids:
        heads = Counter((m.get("text") or "").split("\n")[0] for m in server.messages(chat))
        lost += items - len(heads)
        duplicates += sum(n - 1 for n in heads.values())
    return {"lost": lost, "duplicates": duplicates}


async def outbox_run(
    chat_ids: list[int], items: int, pacing: str, server: FakeBotAPI
) -> dict[str, Any]:
    """`items` fresh items into every chat of `chat_ids` through the outbox in this process."""
    from telegram import Bot

    from bot.deliver.telegram import TelegramSink
    from bot.notify import AdminNotifier
    from bot.pipeline.outbox import Outbox

    with tempfile.TemporaryDirectory() as tmp, server:
        database = f"sqlite:///{tmp}/bench.db"
        prepare(database, chat_ids, items)
        config = Config(database=database, channels=channel_configs(chat_ids))
        store = Store(database)
        if pacing == "old":
            pacer = old_pacer(config)
        else:
            pacer = new_pacer(config, per_chat_in_groups=pacing != "new_channels_burst")
        async with Bot(TOKEN, base_url=server.base_url) as bot:
            sink = TelegramSink(bot)
            outbox = Outbox(config, store, sink, pacer, AdminNotifier(config, sink, pacer))
            started = time.monotonic()
            report = await outbox.deliver()
            wall = time.monotonic() - started
        store.close()
        trips = sorted(pacer.round_trips)
        return {
            "pacing": pacing,
            "channels": len(chat_ids),
            "items": items,
            "wall_s": round(wall, 2),
            "sent": report.sent,
            **rate_figures(server),
            **losses(server, chat_ids, items),
            # the new pacing counts a send until its answer: 30 a second costs one round trip
            "round_trip_ms_last_64": {
                "median": round(trips[len(trips) // 2] * 1000, 1),
                "max": round(trips[-1] * 1000, 1),
            }
            if trips
            else None,
        }


async def wide_runs(count: int, pacings: list[str]) -> dict[str, Any]:
    """One post to `count` channels, one pacing after the other (each alone on the CPU)."""
    chat_ids = chats(count)
    return {
        pacing: await outbox_run(chat_ids, 1, pacing, FakeBotAPI(chat_ids, limits=True))
        for pacing in pacings
    }


async def flood_runs(pacings: list[str]) -> dict[str, Any]:
    """60 items into 3 channels, the pacings at once (they mostly wait: minutes each)."""
    chat_ids = chats(3)
    runs = {pacing: FakeBotAPI(chat_ids, limits=True) for pacing in pacings}
    if "new" in pacings:
        runs["new_channels_burst"] = ChannelsBurstBotAPI(chat_ids, limits=True)
    results = await asyncio.gather(
        *(outbox_run(chat_ids, 60, pacing, server) for pacing, server in runs.items())
    )
    return dict(zip(runs, results, strict=True))


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
            **losses(server, chat_ids),
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
    parser.add_argument("--clean-only", action="store_true", help="no faults-and-kills run")
    parser.add_argument("--no-flood", action="store_true", help="no 60 items x 3 channels run")
    parser.add_argument("--pacing", choices=("new", "old", "both"), default="both")
    args = parser.parse_args()
    pacings = ["new", "old"] if args.pacing == "both" else [args.pacing]
    result: dict[str, Any] = {
        "limits": TelegramConfig().model_dump(include={"global_per_second", "max_in_flight"}),
        "wide": asyncio.run(wide_runs(args.channels, pacings)),
    }
    if not args.no_flood:
        result["flood"] = asyncio.run(flood_runs(pacings))
    if not args.clean_only:
        result["faults_and_kills"] = faulty_run(
            args.channels, args.fault_rate, args.kills, args.timeout
        )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
