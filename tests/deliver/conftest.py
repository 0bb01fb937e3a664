from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from telegram import Bot

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # tests/ is not a package: make tests.fakes importable
    sys.path.insert(0, str(ROOT))

from tests.deliver.support import TOKEN, make_fake  # noqa: E402
from tests.fakes.bot_api import FakeBotAPI  # noqa: E402


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22.x warns on RetryAfter.retry_after unless opted in; filterwarnings=error would fail.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    server = make_fake().start()
    yield server
    server.stop()


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as started:
        yield started
