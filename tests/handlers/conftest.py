from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.handlers.harness import Bot, fake_api, feed_server, make_config


@pytest.fixture
def api() -> Iterator[FakeBotAPI]:
    with fake_api() as server:
        yield server


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    server = feed_server()
    yield server
    server.stop()


@pytest.fixture
async def bot(tmp_path, api, feeds) -> AsyncIterator[Bot]:
    running = await Bot(api, make_config(tmp_path, feeds, api)).start()
    await running.posts_delivered()
    yield running
    await running.stop()
