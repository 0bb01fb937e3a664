"""`humasbot demo`: one full cycle on the bundled sample feeds, posts printed to the console.

No token and no network: the feeds are read from the package by file://, the database is a
fresh SQLite file in the current directory, and a console sink prints each post per channel
exactly as it would go to Telegram.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import TextIO

from bot.deliver.dispatch import DispatchReport
from bot.deliver.pacer import Pacer
from bot.deliver.sink import ConsoleSink
from bot.pipeline import CycleReport
from bot.services import Services
from bot.settings import ChannelConfig, Config, FeedConfig, FetchConfig

log = logging.getLogger(__name__)

DEMO_DATABASE = Path("humasbot-demo.db")
DEMO_CHANNELS = [
    ChannelConfig(chat_id="@humas_kaltim_demo", name="Humas Pemprov Kaltim (demo)"),
    ChannelConfig(chat_id=-1001000000002, name="Diskominfo Balikpapan (demo)"),
]
# The samples are real, archived articles: widen max_item_age so they count as fresh here.
DEMO_MAX_ITEM_AGE = timedelta(days=365 * 20)


def sample_feed_urls() -> list[str]:
    folder = resources.files("bot.data").joinpath("sample-feeds")
    files = sorted(
        (
            entry
            for entry in folder.iterdir()
            if entry.name.endswith((".rss", ".atom", ".rdf", ".xml"))
        ),
        key=lambda entry: entry.name,
    )
    return [Path(str(entry)).resolve().as_uri() for entry in files]


def demo_config() -> Config:
    return Config(
        database=f"sqlite:///{DEMO_DATABASE}",
        max_item_age=DEMO_MAX_ITEM_AGE,
        feeds=[FeedConfig(url=url) for url in sample_feed_urls()],
        channels=DEMO_CHANNELS,
        fetch=FetchConfig(allow_private_addresses=True),
    )


def run_demo(out: TextIO) -> int:
    for leftover in DEMO_DATABASE.parent.glob(DEMO_DATABASE.name + "*"):
        leftover.unlink()  # a fresh database each time, so the demo always shows its posts
    config = demo_config()
    # The console has no flood limits: pace it as fast as it prints.
    pacer = Pacer(global_per_second=10_000, group_per_minute=10_000, chat_per_second=10_000)
    services = Services.create(config, ConsoleSink(out), pacer=pacer)
    try:
        report, delivery = asyncio.run(_one_cycle(services))
    finally:
        services.close()
    print(
        f"\nDemo selesai: {report.feeds_checked} umpan dibaca, {report.new_items} item baru, "
        f"{report.election_items} berita pemilu, {report.queued} kiriman ke "
        f"{len(DEMO_CHANNELS)} kanal ({delivery.sent} terkirim). "
        f"Basis data: {DEMO_DATABASE.resolve()}",
        file=out,
    )
    return 0


async def _one_cycle(services: Services) -> tuple[CycleReport, DispatchReport]:
    report = await services.pipeline.poll(every=True)
    return report, await services.outbox.deliver()
