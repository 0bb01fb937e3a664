"""What each hostile feed document of issue 15 costs the parse stage.

    python bench/xml_attacks.py

For each document (tests/parse/test_xml_attacks.py's bypasses and the classic bombs): its size,
the parse outcome (the error, or the longest title), the wall time and the peak of traced
memory. Prints one JSON object; times in milliseconds, memory in MB (tracemalloc slows parsing).
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def measure(body: bytes) -> dict[str, Any]:
    from bot.parse import parse_feed

    tracemalloc.start()
    started = time.perf_counter()
    try:
        feed = parse_feed(body, url="https://a.example/rss")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return {
        "bytes": len(body),
        "error": feed.error,
        "longest_title": max((len(item.title) for item in feed.items), default=0),
        "ms": round((time.perf_counter() - started) * 1000, 1),
        "peak_mb": round(peak / 1e6, 2),
    }


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from tests.parse.test_xml_attacks import BYPASSES, billion_laughs, quadratic_blowup

    documents = {**BYPASSES, "billion-laughs": billion_laughs(), "quadratic": quadratic_blowup()}
    print(json.dumps({name: measure(body) for name, body in documents.items()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
