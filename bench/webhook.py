"""The webhook under load: N updates POSTed with the secret to the real HTTP server (uvicorn,
Starlette, the webhook route, in this process's event loop) by C keep-alive connections at once
(Telegram opens up to 40) from another process, each answered and handed to the Application's
update queue. Also /healthz and /metrics latency.

    python bench/webhook.py [--updates 3000] [--concurrency 40]

Prints one JSON object: pushes per second, answer latency percentiles, updates queued.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram.ext import ApplicationBuilder  # noqa: E402

from bot.http.health import Readiness  # noqa: E402
from bot.http.metrics import Metrics  # noqa: E402
from bot.http.server import HttpServer, create_app  # noqa: E402
from bot.http.webhook import SECRET_HEADER, webhook_route  # noqa: E402
from tests.http.conftest import free_port  # noqa: E402

SECRET = "bench-secret"
PATH = "/telegram/kiriman"


def update(update_id: int) -> bytes:
    user = {"id": 1000 + update_id % 50, "is_bot": False, "first_name": "Uji"}
    message = {
        "message_id": update_id,
        "date": 1700000000,
        "chat": {"id": user["id"], "type": "private"},
        "from": user,
        "text": "/terbaru 3",
        "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
    }
    return json.dumps({"update_id": update_id, "message": message}).encode()


def percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100)
    return {"p50_ms": round(cuts[49] * 1000, 2), "p99_ms": round(cuts[98] * 1000, 2)}


def load(port: int, updates: int, concurrency: int) -> tuple[float, list[float]]:
    """In another process: `concurrency` threads, one keep-alive connection each."""
    ids = iter(range(1, updates + 1))
    lock, latencies = threading.Lock(), []
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}

    def pusher() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                update_id = next(ids, None)
            if update_id is None:
                return
            started = time.perf_counter()
            conn.request("POST", PATH, body=update(update_id), headers=headers)
            answer = conn.getresponse()
            answer.read()
            assert answer.status == 200, answer.status
            with lock:
                latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=pusher) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies


def probe(port: int, path: str, count: int = 200) -> list[float]:
    conn, times = http.client.HTTPConnection("127.0.0.1", port, timeout=30), []
    for _ in range(count):
        started = time.perf_counter()
        conn.request("GET", path)
        conn.getresponse().read()
        times.append(time.perf_counter() - started)
    return times


async def main(updates: int, concurrency: int) -> dict[str, object]:
    application = ApplicationBuilder().token("123456:BENCH").updater(None).build()
    port = free_port()
    app = create_app(
        metrics=Metrics(),
        readiness=Readiness(lambda: None, application.bot),
        services=lambda: None,
        routes=[webhook_route(PATH, application, SECRET)],
    )
    server = HttpServer(app, f"127.0.0.1:{port}")
    await server.start()
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(1) as client:
        elapsed, latencies = await loop.run_in_executor(client, load, port, updates, concurrency)
        health = await loop.run_in_executor(client, probe, port, "/healthz")
        scrape = await loop.run_in_executor(client, probe, port, "/metrics")
    await server.stop()
    return {
        "updates": updates,
        "concurrency": concurrency,
        "seconds": round(elapsed, 3),
        "pushes_per_second": round(updates / elapsed, 1),
        "answer": percentiles(latencies),
        "queued": application.update_queue.qsize(),
        "healthz": percentiles(health),
        "metrics": percentiles(scrape),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=40)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.updates, args.concurrency))))
