"""Content benchmark: relevance, quotes, speakers and speed of `python -m bot analyze`.

    python bench/eval_content.py [--file PATH] [--speed-articles 600] [--in-process]

--file (alias --devset) picks the labelled articles; the default is ../shared/devset/articles.jsonl.
The held-out set written for this project is tests/data/analyse_heldout.jsonl.

Prints one JSON object. Quote matching: one to one, texts lower-cased, quote marks and
surrounding punctuation stripped, whitespace collapsed, difflib ratio >= 0.9. Speaker accuracy:
the predicted ``speaker_name`` is the labelled one, word for word (lower case, honorifics and
single letters aside, each word spelled alike: difflib ratio >= 0.85). ``speaker_display_accuracy``
is the older, looser figure: the display ``speaker`` holds every word of the labelled name (at
least two when it has more than two). Lead: for each article labelled election news, the lead
must stand alone (six words or more, no quote marks and no part of a quote, no opening pronoun
or connective, not a repeat of a quote); "lead" lists the articles without one and the
problems. Speed: the whole process, start-up included, over the devset
repeated to --speed-articles lines. Without a working CLI it falls back to calling analyze() in
this process and says so in "mode".
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEVSET = ROOT.parent / "shared" / "devset" / "articles.jsonl"
HONORIFICS = {"h", "hj", "hm", "dr", "drs", "dra", "ir", "prof", "kh", "st", "ust", "pak", "bu"}
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def normalise(text: str) -> str:
    return " ".join(_EDGE.sub("", text.lower()).split())


def name_words(text: str | None) -> list[str]:
    return [w for w in re.findall(r"\w+", (text or "").lower()) if w not in HONORIFICS]


def speaker_ok(predicted: str | None, label: str) -> bool:
    have, want = set(name_words(predicted)), name_words(label)
    hits = sum(w in have for w in want)
    return hits == len(want) or (len(want) > 2 and hits >= 2)


def _name_key(text: str | None) -> list[str]:
    words = re.findall(r"\w+(?:['’]\w+)*", (text or "").lower().replace("’", "'"))
    return [w for w in words if w not in HONORIFICS and len(w) > 1]


def speaker_name_ok(predicted: str | None, label: str) -> bool:
    have, want = _name_key(predicted), _name_key(label)
    return len(have) == len(want) and all(
        SequenceMatcher(None, a, b).ratio() >= 0.85 for a, b in zip(have, want, strict=True)
    )


def run_cli(path: Path) -> tuple[list[dict[str, Any]], float]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "analyze", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}")
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return rows, elapsed


def run_in_process(articles: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], float]:
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    from bot.analyse import analyze, load_taxonomy

    taxonomy = load_taxonomy()
    rows = []
    for article in articles:
        result = analyze(article.get("title"), article.get("text") or "", taxonomy=taxonomy)
        rows.append(
            {
                "id": article.get("id"),
                "is_election": result.is_election,
                "score": result.score,
                "reasons": [asdict(r) for r in result.reasons],
                "quotes": [
                    {"text": q.text, "speaker": q.speaker, "speaker_name": q.speaker_name}
                    for q in result.quotes
                ],
                "lead": result.lead,
            }
        )
    return rows, time.perf_counter() - started


def match_quotes(
    predicted: list[dict[str, Any]], labelled: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    pairs, used = [], set()
    for label in labelled:
        target = normalise(label["text"])
        best, best_ratio = None, 0.9
        for i, quote in enumerate(predicted):
            if i in used:
                continue
            ratio = SequenceMatcher(None, normalise(quote["text"]), target).ratio()
            if ratio >= best_ratio:
                best, best_ratio = i, ratio
        if best is not None:
            used.add(best)
            pairs.append((predicted[best], label))
    return pairs


_QUOTE_MARKS = re.compile(r"[\"“”„«»]")
# Openers that need the sentence before (bot/analyse/vocabulary.py NEEDS_BEFORE, kept apart so
# the benchmark judges the rule rather than sharing it).
_NEEDS_BEFORE = frozenset(
    """mereka namun tetapi tapi sementara selain sedangkan adapun bahkan padahal kemudian lalu
    sehingga maka meski meskipun walau walaupun demikian selanjutnya sebelumnya menurutnya
    pihaknya bahwa dan atau serta pun juga kami kita saya kendati apalagi begitu diakuinya
    katanya sebab makanya toh nah ia dia beliau hal""".split()  # noqa: SIM905
)


def lead_problems(lead: str, quotes: list[str]) -> list[str]:
    """Why a lead cannot stand alone (issue 14, "The lead"); empty when it can."""
    problems = []
    words = lead.split()
    if len(words) < 6:
        problems.append("fewer than six words")
    if _QUOTE_MARKS.search(lead) or any(normalise(lead) in normalise(q) for q in quotes):
        problems.append("part of a quote")
    if words and _EDGE.sub("", words[0].lower()) in _NEEDS_BEFORE:
        problems.append(f"opens with {words[0]!r}")
    if any(SequenceMatcher(None, normalise(lead), normalise(q)).ratio() >= 0.9 for q in quotes):
        problems.append("repeats a quote")
    return problems


def score_leads(articles: list[dict[str, Any]], by_id: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    """Lead rules over the articles labelled election news."""
    checked, missing, problems = 0, [], []
    for article in articles:
        if not article["is_election"]:
            continue
        row = by_id.get(article["id"], {})
        lead = row.get("lead")
        if not lead:
            missing.append(article["id"])
            continue
        checked += 1
        quotes = [q["text"] for q in article.get("quotes") or []]
        quotes += [q["text"] for q in row.get("quotes") or []]
        problems += [f"{article['id']}: {p}" for p in lead_problems(lead, quotes)]
    return {"checked": checked, "without_lead": missing, "problems": problems}


def score(articles: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_id = {row.get("id"): row for row in rows}
    tp = fp = fn = 0
    q_pred = q_gold = q_hit = s_hit = d_hit = 0
    errors: list[str] = []
    for article in articles:
        row = by_id.get(article["id"], {})
        predicted, gold = bool(row.get("is_election")), bool(article["is_election"])
        tp += predicted and gold
        fp += predicted and not gold
        fn += gold and not predicted
        if predicted != gold:
            errors.append(f"relevance {article['id']}: {predicted} (score {row.get('score')})")
        quotes = row.get("quotes") or []
        pairs = match_quotes(quotes, article.get("quotes") or [])
        q_pred, q_gold, q_hit = (
            q_pred + len(quotes),
            q_gold + len(article["quotes"]),
            q_hit + len(pairs),
        )
        for quote, label in pairs:
            d_hit += speaker_ok(quote.get("speaker"), label["speaker_name"])
            if speaker_name_ok(quote.get("speaker_name"), label["speaker_name"]):
                s_hit += 1
            else:
                got, want = quote.get("speaker_name"), label["speaker_name"]
                errors.append(f"speaker {article['id']}: {got!r} != {want!r}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "articles": len(articles),
        "relevance": {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
        },
        "quotes": {
            "precision": round(q_hit / q_pred, 4) if q_pred else 1.0,
            "recall": round(q_hit / q_gold, 4) if q_gold else 1.0,
            "predicted": q_pred,
            "labelled": q_gold,
            "matched": q_hit,
        },
        "lead": score_leads(articles, by_id),
        "speaker_accuracy": round(s_hit / q_hit, 4) if q_hit else 1.0,
        "speaker_display_accuracy": round(d_hit / q_hit, 4) if q_hit else 1.0,
        "errors": errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", "--devset", dest="devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--speed-articles", type=int, default=600)
    parser.add_argument("--in-process", action="store_true", help="skip the CLI")
    args = parser.parse_args()
    lines = [line for line in args.devset.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [json.loads(line) for line in lines]
    repeated = [lines[i % len(lines)] for i in range(args.speed_articles)]
    mode = "cli: python -m bot analyze"
    with tempfile.TemporaryDirectory() as tmp:
        speed_file = Path(tmp) / "speed.jsonl"
        speed_file.write_text("\n".join(repeated) + "\n", encoding="utf-8")
        try:
            if args.in_process:
                raise RuntimeError("--in-process asked for")
            rows, _ = run_cli(args.devset)
            speed_rows, elapsed = run_cli(speed_file)
        except (RuntimeError, OSError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
            mode = f"in-process analyze() (CLI not used: {exc})"
            rows, _ = run_in_process(articles)
            speed_rows, elapsed = run_in_process([json.loads(line) for line in repeated])
    report = score(articles, rows)
    report["mode"] = mode
    report["speed"] = {
        "articles": len(speed_rows),
        "seconds": round(elapsed, 3),
        "articles_per_second": round(len(speed_rows) / elapsed, 1) if elapsed else None,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
