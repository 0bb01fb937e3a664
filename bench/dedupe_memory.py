"""Memory of one poll with story dedupe on and off, on the same items (file:// feeds).

    python bench/dedupe_memory.py [FEED_FILE ...]

Each mode runs in a fresh process: a new SQLite database, one `Pipeline.poll(every=True)` over
the feeds (default: three archived antaranews feeds from ../shared/realfeeds, 60 items; the
bundled sample feeds when ../shared is absent). Prints one JSON object: per mode the items, the
peak RSS of the polling process, and the modules it loaded that the other mode did not.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REALFEEDS = ROOT.parent / "shared" / "realfeeds"
DEFAULT_FEEDS = [
    "antaranews_terkini_2016-08-23.xml",
    "antaranews_terkini_2017-04-17.xml",
    "antaranews-jambi_terkini_2022-08-28.xml",
]


def feed_files(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    if all((REALFEEDS / name).exists() for name in DEFAULT_FEEDS):
        return [REALFEEDS / name for name in DEFAULT_FEEDS]
    return sorted((ROOT / "bot" / "data" / "sample-feeds").iterdir())


def poll(dedupe: bool, files: list[Path]) -> dict[str, Any]:
    """One poll in this process; its figures."""
    from bot.deliver.sink import ConsoleSink
    from bot.services import Services
    from bot.settings import Config, DedupeConfig, FeedConfig, FetchConfig

    with tempfile.TemporaryDirectory() as tmp, open(os.devnull, "w") as quiet:
        config = Config(
            database=f"sqlite:///{tmp}/memory.db",
            max_item_age=timedelta(days=365 * 20),
            feeds=[FeedConfig(url=f.as_uri()) for f in files],
            fetch=FetchConfig(allow_private_addresses=True),
            dedupe=DedupeConfig(enabled=dedupe),
        )
        services = Services.create(config, ConsoleSink(quiet))
        try:
            report = asyncio.run(services.pipeline.poll(every=True))
        finally:
            services.close()
    return {
        "dedupe": dedupe,
        "new_items": report.new_items,
        "duplicates": report.duplicates,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "modules": sorted({name.split(".")[0] for name in sys.modules}),
    }


def main() -> int:
    if os.environ.get("DEDUPE_MEMORY_CHILD"):
        files = [Path(p) for p in sys.argv[2:]]
        print(json.dumps(poll(sys.argv[1] == "on", files)))
        return 0
    files = feed_files(sys.argv[1:])
    runs = {}
    for mode in ("off", "on"):
        out = subprocess.run(
            [sys.executable, __file__, mode, *map(str, files)],
            env={**os.environ, "DEDUPE_MEMORY_CHILD": "1"},
            capture_output=True,
            text=True,
            check=True,
        )
        runs[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    off, on = (set(runs[m].pop("modules")) for m in ("off", "on"))
    runs["on"]["extra_top_level_modules"] = sorted(on - off)
    result = {
        "feeds": [f.name for f in files],
        **runs,
        "extra_mb": round(runs["on"]["peak_rss_mb"] - runs["off"]["peak_rss_mb"], 1),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
