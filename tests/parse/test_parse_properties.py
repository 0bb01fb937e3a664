"""Any document of up to 64 KB is parsed or refused, in bounded time and memory, and never
raises: one hostile feed cannot stop a poll cycle."""

from __future__ import annotations

import time
import tracemalloc

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.parse import parse_feed

MAX_BYTES = 64 * 1024

# Pieces an attacker combines: prolog tricks, entities and references, broken markup, text.
PIECES = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<?xml version="1.0" encoding="UTF-7"?>',
    '<?xml version="1.0" encoding="x-unknown"?>',
    "<!-- <a -->", "<?pi <a?>", "<!--", "-->", "<?", "?>", "\ufeff",
    "<!DOCTYPE rss [", "<!DOCTYPE rss>", '<!DOCTYPE rss SYSTEM "http://127.0.0.1/x.dtd">',
    '<!ENTITY a "AAAAAAAAAAAAAAAA">', '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">',
    '<!ENTITY % p SYSTEM "file:///etc/passwd">', "%p;", "]>", "]", ">", "'", '"',
    "&a;", "&b;", "&amp;", "&nbsp;", "&#xD800;", "&#55296;", "&#x110000;", "&#0;",
    "&#99999999999999999999999;", "&#x1F5F3;", "&#", ";",
    '<rss version="2.0">', "<channel>", "<title>", "</title>", "<item>", "</item>",
    "<link>https://a.example/1</link>", "<guid>g</guid>", "<description>", "</description>",
    "<pubDate>Mon, 32 Foo 99999 25:61:61 +9999</pubDate>", "<ttl>99999999999999999999</ttl>",
    '<feed xmlns="http://www.w3.org/2005/Atom">', "<entry>", "</entry>", "</feed>",
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    "<![CDATA[", "]]>", "<script>x</script>", "<img src='javascript:x'>", "</channel>", "</rss>",
    '<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    "Pemilu 2024 KPU Bawaslu ", "\x00", "\udcff", "é", "🗳", "\r\n", " " * 200,
]  # fmt: skip

documents = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)), max_size=300).map(
    "".join
)


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="surrogatepass" if encoding == "utf-8" else "replace")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=documents,
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-be", "latin-1"]),
    repeat=st.integers(1, 200),
    content_type=st.sampled_from([None, "application/rss+xml", "text/xml; charset=utf-7"]),
)
def test_any_document_is_parsed_or_refused_in_bounded_time_and_memory(
    text: str, encoding: str, repeat: int, content_type: str | None
) -> None:
    body = (_encode(text, encoding) * repeat)[:MAX_BYTES]
    tracemalloc.start()
    started = time.perf_counter()
    try:
        feed = parse_feed(body, url="https://a.example/rss", content_type=content_type)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert feed.error is None or feed.items == ()
    assert sum(len(i.title) + len(i.text) for i in feed.items) <= 4 * MAX_BYTES
    assert peak < 40_000_000, peak
    assert elapsed < 10, elapsed  # generous: tracemalloc slows parsing several times
