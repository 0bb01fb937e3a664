"""`humasbot parse FILE|URL`: the parse stage on one document, one JSON line per item."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from tests.fakes.feed_server import FeedServer

QUIRKS = Path(__file__).resolve().parents[1] / "data" / "feeds" / "quirks"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_a_file_gives_one_line_per_item(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(QUIRKS / "tanggal-indonesia.rss")]) == 0
    items = lines(capsys.readouterr().out)
    assert len(items) == 8
    assert all(set(item) == {"title", "link", "published", "text", "image"} for item in items)
    simulasi = next(i for i in items if "simulasi" in str(i["link"]))
    assert simulasi["published"] == "2024-02-12T10:00:00+07:00"  # with the site's offset
    assert simulasi["text"] == "Simulasi di TPS contoh diikuti warga setempat."


def test_a_url_is_fetched_with_the_projects_fetcher(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.set("/umpan.rss", (QUIRKS / "pelacak-tautan.rss").read_bytes())
    config = tmp_path / "humasbot.yaml"
    config.write_text("fetch:\n  allow_private_addresses: true\n", encoding="utf-8")
    assert main(["--config", str(config), "parse", f"{server.url}/umpan.rss"]) == 0
    items = lines(capsys.readouterr().out)
    assert items[0]["link"] == ("https://nasional.example/news/read/5001/psu-dua-tps?page=2")
    assert server.requests("/umpan.rss")  # fetched over HTTP


def test_the_fetchers_address_guard_applies(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.set("/umpan.rss", (QUIRKS / "rss091.xml").read_bytes())
    config = tmp_path / "humasbot.yaml"
    config.write_text("fetch:\n  allow_private_addresses: false\n", encoding="utf-8")
    assert main(["--config", str(config), "parse", f"{server.url}/umpan.rss"]) == 1
    assert "private address" in capsys.readouterr().err
    assert not server.requests("/umpan.rss")


def test_a_document_that_is_not_a_feed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "halaman.html"
    page.write_bytes(b"<!doctype html><html><body>bukan umpan</body></html>")
    assert main(["parse", str(page)]) == 1
    assert "tidak bisa dibaca" in capsys.readouterr().err
    assert main(["parse", str(tmp_path / "tidak-ada.xml")]) == 1
    assert "tidak bisa diambil" in capsys.readouterr().err
