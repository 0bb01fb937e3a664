"""Ingestion at scale: a cold and a warm polling cycle of N feeds through the real Pipeline.

    python bench/ingest.py [--feeds 1000] [--items 30] [--fresh 1] [--workers 2]

Starts bench/feed_farm.py (N feeds of ``--items`` items, ~100 KB each, spread over 8 loopback
addresses, 5 ms of latency per answer, some feeds slow, failing, garbage, truncated or
ignoring conditional GET), then one bot process that runs ``Pipeline.poll`` twice on a fresh
SQLite file: cold (every feed new) and warm (``poll(every=True)`` with nothing changed). The
first ``--fresh`` items of each feed are minutes old and go through dedupe, analysis and the
outbox; the others are days old (older than max_item_age) and are only stored.

Prints one JSON object. Per cycle: wall and CPU seconds (the bot process and all its
descendants: parse workers, forkserver, resource tracker), requests the farm received and
304s it sent, and the pipeline's report. Memory, sampled every 20 ms from outside: the peak
over the cycle of the sum of RSS over the bot's process tree (shared pages counted once per
process, so an overestimate) and of the sum of PSS (shared pages split: the tree's real
footprint); and each process's own peak RSS (VmHWM) at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


def children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def process_tree(root: int) -> list[int]:
    tree, found, todo = children_of(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


def status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def role(pid: int, root: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return "?"
    if pid == root:
        return "bot"
    if "resource_tracker" in command:
        return "resource tracker"
    return "forkserver" if parent == root else "worker"


def tree_cpu_seconds(root: int, *, own_only: bool = False) -> float:
    """utime + stime of the tree's live processes, plus reaped children of the root."""
    total = 0
    for pid in [root] if own_only else process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
        if pid == root:
            total += int(fields[13]) + int(fields[14])
    return total / TICK


# ---------------------------------------------------------------- the bot process (child)


def farm_stats(port: int, reset: bool = False) -> dict[str, int]:
    path = "/_reset" if reset else "/_stats"
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
        return json.load(answer)


async def run_cycles(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT))
    from bot.deliver.sink import ConsoleSink
    from bot.services import Services
    from bot.settings import parse_config

    feeds = [
        {"url": f"http://127.0.0.{1 + i % args.hosts}:{args.port}/feed/{i}.rss"}
        for i in range(args.feeds)
    ]
    config = parse_config(
        {
            "database": f"sqlite:///{args.db}",
            "feeds": feeds,
            "channels": [{"chat_id": -1001}, {"chat_id": -1002}],
            "fetch": {"allow_private_addresses": True},
            "parse_workers": args.workers,
        }
    )
    services = Services.create(config, ConsoleSink(io.StringIO()))
    for phase in ("cold", "warm"):
        farm_stats(args.port, reset=True)
        print(f"PHASE {phase}", flush=True)
        profiler = cProfile.Profile() if args.profile == phase else None
        cpu, started = tree_cpu_seconds(os.getpid()), time.perf_counter()
        if profiler:
            profiler.enable()
        report = await services.pipeline.poll(every=phase == "warm")
        wall = time.perf_counter() - started
        if profiler:
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
        cpu = tree_cpu_seconds(os.getpid()) - cpu
        stats = farm_stats(args.port)
        result = {
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "requests": stats["requests"],
            "not_modified_304": stats["not_modified"],
            "report": {k: v for k, v in asdict(report).items() if k != "errors"},
            "error_kinds": sorted({e.split(":")[0][:40] for e in report.errors.values()}),
        }
        print("RESULT " + json.dumps({phase: result}), flush=True)
    processes = {
        f"{pid} {role(pid, os.getpid())}": {
            "peak_rss_mb": status_kb(pid, "VmHWM") // 1024,
            "cpu_s_both_cycles": round(tree_cpu_seconds(pid, own_only=True), 2),
        }
        for pid in process_tree(os.getpid())
    }
    print("RESULT " + json.dumps({"processes": processes}), flush=True)
    print("PHASE done", flush=True)
    services.pipeline.workers.close()
    services.close()


# ---------------------------------------------------------------- the orchestrator (parent)


class Sampler(threading.Thread):
    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.phase, self.stop = root, "start", threading.Event()
        self.peaks: dict[str, dict[str, float]] = {}

    def run(self) -> None:
        while not self.stop.is_set():
            pids = process_tree(self.root)
            rss = sum(status_kb(pid, "VmRSS") for pid in pids) / 1024
            pss = sum(pss_kb(pid) for pid in pids) / 1024
            peak = self.peaks.setdefault(self.phase, {"rss_sum_mb": 0, "pss_sum_mb": 0})
            peak["rss_sum_mb"] = round(max(peak["rss_sum_mb"], rss), 1)
            peak["pss_sum_mb"] = round(max(peak["pss_sum_mb"], pss), 1)
            time.sleep(0.02)


def orchestrate(args: argparse.Namespace) -> dict[str, object]:
    farm_args = [f"--feeds={args.feeds}", f"--items={args.items}", f"--fresh={args.fresh}"]
    farm = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "feed_farm.py"), *farm_args, f"--hosts={args.hosts}"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready = (farm.stdout.readline() if farm.stdout else "").split()
        if not ready or ready[0] != "READY":
            raise RuntimeError("the feed farm did not start")
        port, feed_size = int(ready[1]), int(ready[2])
        with tempfile.TemporaryDirectory() as tmp:
            return run_bot(args, port, feed_size, Path(tmp) / "bench.db")
    finally:
        farm.terminate()
        farm.wait(10)


def run_bot(args: argparse.Namespace, port: int, feed_size: int, db: Path) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", f"--port={port}", f"--db={db}"]
    command += [f"--feeds={args.feeds}", f"--hosts={args.hosts}", f"--workers={args.workers}"]
    command += [f"--profile={args.profile}"] if args.profile else []
    bot = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    sampler = Sampler(bot.pid)
    sampler.start()
    output: dict[str, object] = {
        "feeds": args.feeds,
        "items_per_feed": args.items,
        "fresh_per_feed": args.fresh,
        "feed_bytes_avg": feed_size,
        "hosts": args.hosts,
        "parse_workers": args.workers,
        "cpus": os.cpu_count(),
    }
    assert bot.stdout is not None
    for line in bot.stdout:
        kind, _, rest = line.strip().partition(" ")
        if kind == "PHASE":
            sampler.phase = rest
        elif kind == "RESULT":
            output.update(json.loads(rest))
    bot.wait()
    sampler.stop.set()
    sampler.join()
    for phase in ("cold", "warm"):
        if isinstance(output.get(phase), dict):
            output[phase]["memory"] = sampler.peaks.get(phase)  # type: ignore[index]
    output["memory_peak_whole_run"] = {
        key: max(p[key] for p in sampler.peaks.values()) for key in ("rss_sum_mb", "pss_sum_mb")
    }
    return output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--fresh", type=int, default=1)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", choices=["cold", "warm"], help="cProfile the bot process")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        asyncio.run(run_cycles(args))
        return 0
    print(json.dumps(orchestrate(args), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
