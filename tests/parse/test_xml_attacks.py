"""XML attacks do nothing harmful: no entity expansion, no local file read, no DTD fetched."""

from __future__ import annotations

import base64
import time
import tracemalloc
from pathlib import Path

import pytest

from bot.parse import feed as feed_module
from bot.parse import parse_feed
from bot.parse.xml_guard import UnsafeDocument, without_doctype
from tests.fakes.feed_server import FeedServer

REFUSED = "refused: the document declares entities"
ITEM = "<item><title>{title}</title><link>https://a.example/1</link><description>{text}</description></item>"


def rss(doctype: str, title: str = "Judul", text: str = "Isi") -> bytes:
    item = ITEM.format(title=title, text=text)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n'
        f'<rss version="2.0"><channel><title>T</title>{item}</channel></rss>'
    ).encode()


def billion_laughs() -> bytes:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return rss("<!DOCTYPE rss [\n" + "\n".join(levels) + "\n]>", title="&lol9;")


def quadratic_blowup() -> bytes:
    entity = '<!DOCTYPE rss [\n<!ENTITY a "' + "A" * 2000 + '">\n]>'
    return rss(entity, text="&a;" * 10_000)  # 20 MB if it expanded


@pytest.mark.parametrize(
    "document", [billion_laughs(), quadratic_blowup()], ids=["laughs", "quadratic"]
)
def test_entity_expansion_bombs_do_not_expand(document: bytes) -> None:
    tracemalloc.start()
    try:
        feed = parse_feed(document, url="https://a.example/rss")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    texts = [item.title + item.text for item in feed.items]
    assert peak < 5_000_000  # expanded, the text alone would take 20 MB or more
    assert all("lollol" not in text and "AAAA" not in text for text in texts)


def test_an_external_entity_does_not_read_a_local_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("RAHASIA-123")
    document = rss(
        f'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{secret.as_uri()}">\n]>', title="a &xxe; b"
    )
    feed = parse_feed(document, url="https://a.example/rss")
    assert feed.error == REFUSED and feed.items == ()


def test_an_external_dtd_and_parameter_entities_are_never_fetched() -> None:
    with FeedServer() as server:
        server.set("/evil.dtd", b'<!ENTITY ev "DARI-DTD">')
        dtd = f'<!DOCTYPE rss SYSTEM "{server.url}/evil.dtd">'
        parameter = f'<!DOCTYPE rss [\n<!ENTITY % p SYSTEM "{server.url}/evil.dtd">\n%p;\n]>'
        feed = parse_feed(rss(dtd, title="a &ev; b"), url="https://a.example/rss")
        assert feed.items and "DARI-DTD" not in feed.items[0].title
        refused = parse_feed(rss(parameter, title="a &ev; b"), url="https://a.example/rss")
        assert refused.error == REFUSED
        assert server.requests() == []


def test_an_entity_value_that_looks_like_an_element_is_refused() -> None:
    document = rss(
        '<!DOCTYPE rss [\n<!ENTITY a "<b>x</b>' + "B" * 1000 + '">\n]>', text="&a;" * 1000
    )
    with pytest.raises(UnsafeDocument, match="declares entities"):
        without_doctype(document)
    assert parse_feed(document, url="https://a.example/rss").error == REFUSED


def test_a_doctype_without_entities_is_removed_whatever_precedes_it() -> None:
    subset = "<!DOCTYPE rss [\n<!ELEMENT rss ANY>\n<!-- a ] > comment -->\n<?pi ]>?>\n]>"
    document = rss("<!-- <a -->\n<?pi <b?>\n" + subset)
    cleaned = without_doctype(document)
    assert b"<!DOCTYPE" not in cleaned and b"<!ELEMENT" not in cleaned
    assert b"<!-- <a -->" in cleaned and cleaned.endswith(b"</rss>")
    [item] = parse_feed(document, url="https://a.example/rss").items
    assert item.title == "Judul"


def laughs(levels: int, width: int) -> str:
    declared = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * width}">' for i in range(1, levels)
    ]
    return "<!DOCTYPE rss [" + "".join(declared) + "]>"


def small_bomb(before: str, encoding: str = "UTF-8") -> bytes:
    """About 500 bytes; expanded, its title had 3,000,000 characters (18 s, 70 MB)."""
    document = rss(before + laughs(7, 10), title="&l6;").decode()
    return document.replace("UTF-8", encoding).encode(encoding.lower())


def utf7_bomb() -> bytes:
    """The DOCTYPE in UTF-7's base64 form: no "<" byte in it at all."""
    hidden = base64.b64encode(laughs(7, 10).encode("utf-16-be")).decode().rstrip("=")
    return rss(f"+{hidden}-", title="&l6;").replace(b"UTF-8", b"UTF-7")


BYPASSES = {
    "comment": small_bomb("<!-- <a -->"),
    "processing-instruction": small_bomb("<?pi <a?>"),
    "comment-then-pi": small_bomb("<!-- x --><?xml-stylesheet href='<a'?>"),
    "junk": small_bomb("x <1 y"),
    "utf16-past-4kb": small_bomb("<!--" + " " * 4200 + "-->", "UTF-16"),
    "utf16-be-no-bom": small_bomb("<!--" + " " * 4200 + "-->", "UTF-16-BE"),
    "utf7": utf7_bomb(),
}


@pytest.mark.parametrize("document", BYPASSES.values(), ids=BYPASSES.keys())
def test_a_doctype_hidden_behind_a_comment_pi_or_encoding_is_refused(document: bytes) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        feed = parse_feed(document, url="https://a.example/rss")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert feed.error is not None and feed.error.startswith("refused:")
    assert feed.items == ()
    assert time.perf_counter() - started < 2 and peak < 5_000_000


def test_an_entity_declared_inside_a_comment_is_refused_too() -> None:
    """feedparser's own DOCTYPE handling collects entities from anywhere before the first
    element, comments included: no declaration may appear there at all."""
    hidden = '<!-- <!DOCTYPE x [<!ENTITY a "' + "A" * 2000 + '">]> -->'
    document = rss(hidden, text="&a;" * 1000).replace(b"</channel>", b"<broken></channel>")
    feed = parse_feed(document, url="https://a.example/rss")
    assert feed.error == REFUSED


def test_entity_declarations_are_refused_even_past_the_guard(monkeypatch) -> None:
    """Defence in depth: feedparser's XML parser is defusedxml's, which refuses entities."""
    monkeypatch.setattr(feed_module, "without_doctype", lambda body, **_: body)
    started = time.perf_counter()
    feed = parse_feed(small_bomb("<!-- <a -->"), url="https://a.example/rss")
    assert feed.error is not None and feed.error.startswith("refused:") and feed.items == ()
    assert time.perf_counter() - started < 2


def test_a_utf16_document_with_a_doctype_is_refused() -> None:
    document = rss('<!DOCTYPE rss [\n<!ENTITY a "x">\n]>').decode().replace("UTF-8", "UTF-16")
    feed = parse_feed(document.encode("utf-16"), url="https://a.example/rss")
    assert feed.error == "refused: a DOCTYPE in a UTF-16 document" and feed.items == ()


def test_plain_feeds_and_html_entities_are_untouched() -> None:
    document = rss("", title="KPU &amp; Bawaslu &#8211; rapat")
    assert without_doctype(document) == document
    netscape = rss('<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x">')
    [item] = parse_feed(netscape, url="https://a.example/rss").items
    assert item.title == "Judul"
    assert (
        parse_feed(document, url="https://a.example/rss").items[0].title == "KPU & Bawaslu – rapat"
    )
