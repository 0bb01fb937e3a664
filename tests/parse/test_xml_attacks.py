"""XML attacks do nothing harmful: no entity expansion, no local file read, no DTD fetched."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from bot.parse import parse_feed
from bot.parse.xml_guard import without_doctype
from tests.fakes.feed_server import FeedServer

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
    assert feed.items and all("RAHASIA" not in i.title + i.text for i in feed.items)


def test_an_external_dtd_and_parameter_entities_are_never_fetched() -> None:
    with FeedServer() as server:
        server.set("/evil.dtd", b'<!ENTITY ev "DARI-DTD">')
        dtd = f'<!DOCTYPE rss SYSTEM "{server.url}/evil.dtd">'
        parameter = f'<!DOCTYPE rss [\n<!ENTITY % p SYSTEM "{server.url}/evil.dtd">\n%p;\n]>'
        for doctype in (dtd, parameter):
            feed = parse_feed(rss(doctype, title="a &ev; b"), url="https://a.example/rss")
            assert feed.items and "DARI-DTD" not in feed.items[0].title
        assert server.requests() == []


def test_an_entity_value_that_looks_like_an_element_leaves_no_declaration() -> None:
    document = rss(
        '<!DOCTYPE rss [\n<!ENTITY a "<b>x</b>' + "B" * 1000 + '">\n]>', text="&a;" * 1000
    )
    cleaned = without_doctype(document)
    assert b"<!DOCTYPE" not in cleaned and b"<!ENTITY" not in cleaned
    feed = parse_feed(document, url="https://a.example/rss")
    assert all("BBBB" not in item.text for item in feed.items)


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
