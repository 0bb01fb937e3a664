"""A lean feed server for bench/ingest.py: N feeds on several loopback addresses.

    python bench/feed_farm.py --feeds 1000 --hosts 8 --port-file PATH

Every feed has ``--items`` items (about 3.3 KB each, so 30 make ~100 KB) built from sentences of
the real articles in tests/data, shuffled per item so that no two items are the same story.
The first ``--fresh`` items of a feed are dated minutes ago, the rest days ago. Feed i lives
at ``http://127.0.0.<1 + i % hosts>:<port>/feed/<i>.rss``. Every answer waits ``--latency``
seconds first. Most feeds answer conditional requests with 304; some misbehave:

* i % 20 == 1: ignores If-None-Match/If-Modified-Since (sends the same body again: 200);
* i % 50 == 2: HTTP 500;   i % 50 == 3: an HTML page;   i % 100 == 5: the body cut in the middle;
* i % 97 == 4: 1 s slow (these fall on every host in turn).

``GET /_stats`` gives {"requests", "not_modified"} and ``GET /_reset`` zeroes them. Standard
library only; one asyncio process. Prints READY when listening.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ARTICLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "e2e_articles.jsonl"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def sentences() -> list[str]:
    found: list[str] = []
    for line in ARTICLES.read_text("utf-8").splitlines():
        found.extend(s for s in _SENTENCE.split(json.loads(line)["text"]) if len(s) > 40)
    return found


def build_feed(index: int, items: int, fresh: int, pool: list[str], now: datetime) -> bytes:
    rng = random.Random(index)
    entries = []
    for j in range(items):
        age = timedelta(minutes=10 + j) if j < fresh else timedelta(days=3, hours=j)
        text = " ".join(rng.sample(pool, 22))
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split(". "))
        entries.append(
            f"<item><title>Berita {index}-{j}: {escape(text[:70])}</title>"
            f"<link>https://portal{index}.example/berita/{j}</link>"
            f"<guid isPermaLink='false'>feed{index}-item{j}</guid>"
            f"<pubDate>{format_datetime(now - age)}</pubDate>"
            f"<description>{escape(text[:200])}</description>"
            f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Portal {index}</title><link>https://portal{index}.example/</link>"
        f"{''.join(entries)}</channel></rss>"
    ).encode()


class Farm:
    def __init__(self, args: argparse.Namespace) -> None:
        now = datetime.now(UTC)
        pool = sentences()
        self.latency = args.latency
        self.bodies = [build_feed(i, args.items, args.fresh, pool, now) for i in range(args.feeds)]
        self.requests = 0
        self.not_modified = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                headers = {}
                while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = header.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                path = line.split()[1].decode()
                await self.answer(path, headers, writer)
                await writer.drain()
        except (ConnectionError, IndexError):
            pass
        finally:
            writer.close()

    async def answer(
        self, path: str, headers: dict[str, str], writer: asyncio.StreamWriter
    ) -> None:
        if path.startswith("/_"):
            stats = {"requests": self.requests, "not_modified": self.not_modified}
            if path == "/_reset":
                self.requests = self.not_modified = 0
            return self.send(writer, 200, json.dumps(stats).encode(), "application/json")
        self.requests += 1
        await asyncio.sleep(self.latency)
        index = int(path.rsplit("/", 1)[-1].split(".")[0])
        if index % 97 == 4:
            await asyncio.sleep(1.0)
        if index % 50 == 2:
            return self.send(writer, 500, b"<h1>500</h1>", "text/html")
        if index % 50 == 3:
            return self.send(writer, 200, b"<html><body>Maintenance</body></html>", "text/html")
        body = self.bodies[index]
        etag = f'"{index}-v1"'
        honours = index % 20 != 1
        if honours and headers.get("if-none-match") == etag:
            self.not_modified += 1
            return self.send(writer, 304, b"", None, {"ETag": etag})
        if index % 100 == 5:
            body = body[: len(body) // 2]
        extra = {"ETag": etag} if honours else {}
        return self.send(writer, 200, body, "application/rss+xml; charset=utf-8", extra)

    @staticmethod
    def send(
        writer: asyncio.StreamWriter,
        status: int,
        body: bytes,
        kind: str | None,
        extra: dict[str, str] | None = None,
    ) -> None:
        lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}"]
        lines += [f"Content-Type: {kind}"] if kind else []
        lines += [f"{name}: {value}" for name, value in (extra or {}).items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--fresh", type=int, default=1)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.005)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    farm = Farm(args)
    first = await asyncio.start_server(farm.serve, "127.0.0.1", args.port, backlog=512)
    port = first.sockets[0].getsockname()[1]
    for host in range(2, args.hosts + 1):
        await asyncio.start_server(farm.serve, f"127.0.0.{host}", port, backlog=512)
    size = sum(map(len, farm.bodies)) // max(1, len(farm.bodies))
    print(f"READY {port} {size}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
