"""In-process speed of bot.analyse: import, taxonomy load, cold pass and warm passes.

    python bench/analyze_speed.py [--devset PATH] [--repeat 20]

The cold pass stems every new word with Sastrawi (as unseen articles do); warm passes hit the
stem cache. Prints one JSON object; times in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEVSET = ROOT.parent / "shared" / "devset" / "articles.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    articles = [json.loads(line) for line in args.devset.read_text("utf-8").splitlines() if line]
    sys.path.insert(0, str(ROOT))

    started = time.perf_counter()
    from bot.analyse import analyze, load_taxonomy

    imported = time.perf_counter()
    taxonomy = load_taxonomy()
    _ = taxonomy.lexicon  # stems every taxonomy form once
    loaded = time.perf_counter()
    for article in articles:
        analyze(article["title"], article["text"], taxonomy=taxonomy)
    cold = time.perf_counter()
    for _ in range(args.repeat):
        for article in articles:
            analyze(article["title"], article["text"], taxonomy=taxonomy)
    warm = time.perf_counter()

    count = len(articles)
    print(
        json.dumps(
            {
                "articles": count,
                "import_ms": round((imported - started) * 1000, 1),
                "taxonomy_ms": round((loaded - imported) * 1000, 1),
                "cold_ms_per_article": round((cold - loaded) * 1000 / count, 2),
                "warm_ms_per_article": round((warm - cold) * 1000 / (count * args.repeat), 2),
                "warm_articles_per_second": round(count * args.repeat / (warm - cold), 1),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
