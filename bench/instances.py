"""One instance on SQLite, one on PostgreSQL and two on PostgreSQL, doing the same work:

    python bench/instances.py [--channels 600] [--feeds 1000] [--workers 2] [--skip-feeds]

* broadcast: one post to ``--channels`` channels by real `humasbot run` processes against the
  local Bot API server, which enforces Telegram's flood limits (tests/fakes/bot_api.py):
  messages per second, 429s, duplicates, lost;
* feeds: a cold and a warm polling cycle of ``--feeds`` feeds from bench/feed_farm.py through
  ``Pipeline.poll`` (bench/ingest.py's farm and measures), one process per instance, all
  instances starting each cycle together: wall time, requests the farm saw (each feed once,
  however many instances), CPU;
* take-over: two instances, the holder of the updates lease SIGKILLed, a user's command sent at
  that moment: seconds until the other instance answers it;
* sender take-over: two instances on hosts of their own, a broadcast under way, the holder of
  the sender lease SIGKILLed: seconds until the other sends again, and until the rows the dead
  one had claimed are sent. ``--before DIR`` runs the instances from another source tree (e.g.
  ``git archive main | tar -x -C DIR``) for a before/after comparison.

PostgreSQL comes from $HUMASBOT_TEST_POSTGRES_URL (default the local server); a database is
created per run and dropped after. Prints one JSON object with the figures and the issue's
targets: two instances together 0 × 429 and >= 27 msg/s, take-over <= 15 s, PostgreSQL no more
than 1.3 × SQLite's time on the same single-instance work.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("PTB_TIMEDELTA", "true")

import ingest  # noqa: E402  (bench/ingest.py: the feed farm and the CPU measures)

from bot.storage import Store  # noqa: E402
from tests.backends import admin_connection, server_url  # noqa: E402
from tests.deliver.outbox_support import channel_configs, queue_posts  # noqa: E402
from tests.e2e.instances import (  # noqa: E402
    Cluster,
    arrivals,
    can_fake_hosts,
    channel_ids,
    send_rate,
    wait_until,
)
from tests.fakes.bot_api import FakeBotAPI  # noqa: E402

UPDATES, SENDER = "updates", "sender"  # leases (bot.roles)
SETUPS = (("sqlite", 1), ("postgresql", 1), ("postgresql", 2))
WARM_AFTER = timedelta(hours=6, minutes=1)  # every feed due again (bot.pipeline.schedule)


@contextmanager
def database(kind: str, workdir: Path) -> Iterator[str]:
    """A new, empty database of that kind for one measurement."""
    if kind == "sqlite":
        path = workdir / f"bench-{secrets.token_hex(3)}.db"
        yield f"sqlite:///{path}"
        return
    server = server_url()
    name = f"humasbot_bench_{secrets.token_hex(4)}"
    with admin_connection(server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin_connection(server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def service_settings(chats: list[int]) -> dict[str, Any]:
    return {
        "poll_tick": "1s",
        "admins": [42],
        "channels": [{"chat_id": chat} for chat in chats],
        "parse_workers": 0,
    }


# ---------------------------------------------------------------- broadcast


def broadcast(kind: str, instances: int, channels: int, timeout: float) -> dict[str, Any]:
    chats = channel_ids(channels)
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeBotAPI(chats, limits=True) as api,
        database(kind, Path(tmp)) as url,
    ):
        store = Store(url)
        store.sync_channels(channel_configs(chats))
        queue_posts(store, 1, prefix="Siaran")
        store.close()
        cluster = Cluster(Path(tmp), url, api, service_settings(chats))
        started = time.monotonic()
        try:
            for _ in range(instances):
                cluster.start()
            wait_until(
                lambda: set(cluster.delivery_states().values()) == {"sent"},
                timeout,
                "broadcast",
                step=0.2,
            )
            wall = time.monotonic() - started
        finally:
            cluster.stop()
        counts = arrivals(api, chats)
        return {
            "wall_s_from_start": round(wall, 2),
            **send_rate(api),
            "duplicates": sum(max(0, counts[chat] - 1) for chat in chats),
            "lost": sum(1 for chat in chats if counts[chat] == 0),
        }


# ---------------------------------------------------------------- feed cycles


async def child_cycles(args: argparse.Namespace) -> None:
    """One instance: the pipeline of the service, polling when the orchestrator says GO."""
    from bot.deliver.sink import ConsoleSink
    from bot.services import Services
    from bot.settings import parse_config

    feeds = [
        {"url": f"http://127.0.0.{1 + i % args.hosts}:{args.port}/feed/{i}.rss"}
        for i in range(args.feeds)
    ]
    config = parse_config(
        {
            "database": args.database,
            "feeds": feeds,
            "channels": [{"chat_id": -1001}, {"chat_id": -1002}],
            "fetch": {"allow_private_addresses": True},
            "parse_workers": args.workers,
        }
    )
    services = Services.create(config, ConsoleSink(io.StringIO()))
    print("READY", flush=True)
    for phase in ("cold", "warm"):
        sys.stdin.readline()
        # the warm cycle: the next one at which every feed is due again (6 h: the longest wait)
        now = datetime.now(UTC) + (WARM_AFTER if phase == "warm" else timedelta(0))
        cpu, started = ingest.tree_cpu_seconds(os.getpid()), time.perf_counter()
        report = await services.pipeline.poll(now=now)
        result = {
            "wall_s": round(time.perf_counter() - started, 2),
            "cpu_s": round(ingest.tree_cpu_seconds(os.getpid()) - cpu, 2),
            "report": {k: v for k, v in asdict(report).items() if k != "errors"},
        }
        print("RESULT " + json.dumps(result), flush=True)
    services.pipeline.workers.close()
    services.close()


def cycles(kind: str, instances: int, args: argparse.Namespace, port: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp)) as url:
        command = [sys.executable, __file__, "--child", f"--port={port}", f"--database={url}"]
        command += [f"--feeds={args.feeds}", f"--hosts={args.hosts}", f"--workers={args.workers}"]
        children = []
        try:
            for _ in range(instances):  # one after the other: each has synced the config
                child = subprocess.Popen(
                    command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
                )
                children.append(child)
                assert child.stdout is not None
                if child.stdout.readline().strip() != "READY":
                    raise RuntimeError("a bench instance did not start")
            return {phase: _phase(children, port) for phase in ("cold", "warm")}
        finally:
            for child in children:
                child.wait(timeout=120)


def _phase(children: list[subprocess.Popen[str]], port: int) -> dict[str, Any]:
    ingest.farm_stats(port, reset=True)
    started = time.perf_counter()
    for child in children:
        assert child.stdin is not None
        child.stdin.write("GO\n")
        child.stdin.flush()
    results = []
    for child in children:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        if not line.startswith("RESULT "):
            raise RuntimeError(f"a bench instance failed: {line!r}")
        results.append(json.loads(line.removeprefix("RESULT ")))
    wall = time.perf_counter() - started
    stats = ingest.farm_stats(port)
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(sum(r["cpu_s"] for r in results), 2),
        "requests": stats["requests"],
        "not_modified_304": stats["not_modified"],
        "feeds_checked_per_instance": [r["report"].get("feeds_checked") for r in results],
        "new_items": sum(r["report"].get("new_items", 0) for r in results),
    }


@contextmanager
def feed_farm(args: argparse.Namespace) -> Iterator[int]:
    farm_args = [f"--feeds={args.feeds}", f"--items={args.items}", f"--hosts={args.hosts}"]
    farm = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "feed_farm.py"), *farm_args],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready = (farm.stdout.readline() if farm.stdout else "").split()
        if not ready or ready[0] != "READY":
            raise RuntimeError("the feed farm did not start")
        yield int(ready[1])
    finally:
        farm.terminate()
        farm.wait(10)


# ---------------------------------------------------------------- take-over


def take_over(kills: int, *, other_hosts: bool) -> dict[str, Any]:
    """Seconds from SIGKILL of the updates holder to the other instance's answer. On one host
    the others see at once that the holder's process is gone; on other hosts (each instance in
    a UTS namespace of its own) only its lease running out tells them."""
    chats = channel_ids(2)
    user = 555
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeBotAPI(chats, limits=True) as api,
        database("postgresql", Path(tmp)) as url,
    ):
        cluster = Cluster(Path(tmp), url, api, service_settings(chats))
        times = []
        try:
            hosts = iter(f"humas-{n}" if other_hosts else None for n in range(kills + 2))
            cluster.start(next(hosts)), cluster.start(next(hosts))
            for _ in range(kills):
                holder = wait_until(lambda: cluster.holder(UPDATES), 60, "an updates holder")
                answered = len(api.calls(method="sendMessage", chat_id=user))
                cluster.kill(holder)
                killed = time.monotonic()
                api.inject_update("/start", user_id=user)
                api.wait_for_calls(answered + 1, 60, method="sendMessage", chat_id=user)
                times.append(round(time.monotonic() - killed, 2))
                wait_until(lambda: not api.unconfirmed_updates(), 30, "updates confirmed")
                cluster.start(next(hosts))
        finally:
            cluster.stop()
        return {"kills": kills, "answer_after_kill_s": times, "worst_s": max(times)}


def sender_take_over(kills: int, channels: int, root: Path | None = None) -> dict[str, Any]:
    """Seconds from SIGKILL of the sender (on a host of its own: only its lease tells) to the
    other instance's next send, and to the send of every row the dead one had claimed. Each
    kill comes a third of the way into a broadcast of its own."""
    chats = channel_ids(channels)
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeBotAPI(chats, limits=True) as api,
        database("postgresql", Path(tmp)) as url,
    ):
        store = Store(url)
        store.sync_channels(channel_configs(chats))
        cluster = Cluster(Path(tmp), url, api, service_settings(chats), root=root or ROOT)
        figures: dict[str, list[float]] = {"next_send_s": [], "claimed_rows_back_s": []}
        figures["claimed_rows_sent_s"] = []
        in_flight: set[int] = set()  # chats whose post was being sent at a kill
        try:
            hosts = iter(f"humas-{n}" for n in range(kills + 2))
            cluster.start(next(hosts)), cluster.start(next(hosts))
            for kill in range(kills):
                queue_posts(store, 1, prefix=f"Siaran {kill}")
                api.wait_for_calls(channels * kill + channels // 3, 120, method="sendMessage")
                sender = wait_until(lambda: cluster.holder(SENDER), 60, "a sender")
                cluster.kill(sender)
                killed, sends = time.monotonic(), len(api.calls(method="sendMessage"))
                claimed = cluster.sending()
                in_flight |= cluster.chats_of(claimed)
                api.wait_for_calls(sends + 1, 120, method="sendMessage")
                figures["next_send_s"].append(round(time.monotonic() - killed, 2))
                wait_until(partial(_all_back, cluster, claimed), 180, "claims back", 0.05)
                figures["claimed_rows_back_s"].append(round(time.monotonic() - killed, 2))
                wait_until(partial(_all_sent, cluster, claimed), 180, "the claimed rows", 0.1)
                figures["claimed_rows_sent_s"].append(round(time.monotonic() - killed, 2))
                wait_until(lambda: not cluster.unsent(), 180, "the broadcast")
                cluster.start(next(hosts))
        finally:
            cluster.stop()
            store.close()
        counts = arrivals(api, chats)
        return {
            "code": str(root or ROOT),
            "kills": kills,
            **figures,
            "worst_claimed_rows_back_s": max(figures["claimed_rows_back_s"]),
            "duplicates": sum(max(0, counts[chat] - kills) for chat in chats),
            "duplicates_not_in_flight": sum(
                max(0, counts[chat] - kills) for chat in chats if chat not in in_flight
            ),
            "lost": sum(max(0, kills - counts[chat]) for chat in chats),
        }


def _all_back(cluster: Cluster, ids: set[int]) -> bool:
    return cluster.requeued(ids) == ids


def _all_sent(cluster: Cluster, ids: set[int]) -> bool:
    return not cluster.unsent(ids)


# ---------------------------------------------------------------- report


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def targets(result: dict[str, Any]) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    ratios: dict[str, float | None] = {}
    if "broadcast" in result:
        two = result["broadcast"]["postgresql_x2"]
        one_pg, one_lite = result["broadcast"]["postgresql_x1"], result["broadcast"]["sqlite_x1"]
        ratios["broadcast"] = ratio(one_pg["send_span_s"], one_lite["send_span_s"])
        checks["two_instances_no_429"] = two["http_429"] == 0
        checks["two_instances_at_least_27_msg_s"] = (two["messages_per_second"] or 0) >= 27
    feeds = result.get("feeds")
    if feeds:
        for phase in ("cold", "warm"):
            pg, lite = feeds["postgresql_x1"][phase], feeds["sqlite_x1"][phase]
            ratios[f"feeds_{phase}"] = ratio(pg["wall_s"], lite["wall_s"])
        shares = feeds["postgresql_x2"]["cold"]["feeds_checked_per_instance"]
        checks["two_instances_share_the_cold_cycle"] = max(shares) <= 0.65 * sum(shares)
    if ratios:
        checks["postgresql_over_sqlite"] = ratios
        checks["postgresql_at_most_1_3x_sqlite"] = all(
            r is not None and r <= 1.3 for r in ratios.values()
        )
    if "take_over" in result:
        worst = max(figures["worst_s"] for figures in result["take_over"].values())
        checks["take_over_at_most_15_s"] = worst <= 15
    if "sender_take_over" in result:
        now = result["sender_take_over"]["now"]
        checks["sender_take_over_at_most_15_s"] = now["worst_claimed_rows_back_s"] <= 15
        checks["sender_take_over_nothing_lost"] = now["lost"] == 0
        checks["sender_take_over_duplicates_only_in_flight"] = now["duplicates_not_in_flight"] == 0
    return checks


def run_all(args: argparse.Namespace) -> dict[str, Any]:
    name: Callable[[str, int], str] = lambda kind, n: f"{kind}_x{n}"  # noqa: E731
    result: dict[str, Any] = {"channels": args.channels, "feeds": None, "cpus": os.cpu_count()}
    if not args.skip_broadcast:
        result["broadcast"] = {
            name(kind, n): broadcast(kind, n, args.channels, args.timeout) for kind, n in SETUPS
        }
    if not args.skip_feeds:
        with feed_farm(args) as port:
            result["feeds"] = {name(kind, n): cycles(kind, n, args, port) for kind, n in SETUPS}
        result["feed_count"] = args.feeds
    if not args.skip_take_over:
        result["take_over"] = {"same_host": take_over(args.kills, other_hosts=False)}
        if can_fake_hosts():
            result["take_over"]["other_hosts"] = take_over(args.kills, other_hosts=True)
    if can_fake_hosts() and not args.skip_sender_take_over:
        result["sender_take_over"] = {"now": sender_take_over(args.kills, args.channels)}
        if args.before:
            before = sender_take_over(args.kills, args.channels, args.before)
            result["sender_take_over"]["before"] = before
    result["targets"] = targets(result)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=600)
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--skip-feeds", action="store_true")
    parser.add_argument("--skip-take-over", action="store_true")
    parser.add_argument("--skip-sender-take-over", action="store_true")
    parser.add_argument("--skip-broadcast", action="store_true")
    parser.add_argument("--before", type=Path, help="a source tree to compare the sender with")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        asyncio.run(child_cycles(args))
        return 0
    print(json.dumps(run_all(args), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
