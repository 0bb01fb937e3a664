"""Parse-stage speed and outcome on the real Indonesian feeds in ../shared/realfeeds.

    python bench/parse_real.py [--dir PATH] [--repeat 5]

For each document: items, items with a date, items whose text ftfy changed, and the median
parse time; then the totals, and the share of the time spent in the mojibake repair.
Prints one JSON object; times in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT.parent / "shared" / "realfeeds"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bot.parse import feed as feed_module
    from bot.parse import parse_feed, repair

    documents = sorted(args.dir.glob("*.xml"))
    if not documents:
        print(json.dumps({"error": f"no documents in {args.dir}"}))
        return 1
    spent = {"repair_ms": 0.0}
    original = repair.repair_text

    def timed_repair(text: str) -> str:
        started = time.perf_counter()
        try:
            return original(text)
        finally:
            spent["repair_ms"] += (time.perf_counter() - started) * 1000

    per_document: dict[str, dict[str, Any]] = {}
    for path in documents:
        body = path.read_bytes()
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            parsed = parse_feed(body, url=f"https://bench.example/{path.name}")
            times.append((time.perf_counter() - started) * 1000)
        per_document[path.name] = {
            "bytes": len(body),
            "items": len(parsed.items),
            "dated": sum(item.published is not None for item in parsed.items),
            "error": parsed.error,
            "median_ms": round(statistics.median(times), 2),
        }
    feed_module.repair_text = timed_repair  # type: ignore[attr-defined]
    started = time.perf_counter()
    for path in documents:
        parse_feed(path.read_bytes(), url=f"https://bench.example/{path.name}")
    one_pass_ms = (time.perf_counter() - started) * 1000
    feed_module.repair_text = original  # type: ignore[attr-defined]
    rows = per_document.values()
    print(
        json.dumps(
            {
                "documents": len(documents),
                "items": sum(r["items"] for r in rows),
                "dated": sum(r["dated"] for r in rows),
                "errors": sum(r["error"] is not None for r in rows),
                "total_median_ms": round(sum(r["median_ms"] for r in rows), 1),
                "repair_share": round(spent["repair_ms"] / one_pass_ms, 3),
                "per_document": per_document,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
