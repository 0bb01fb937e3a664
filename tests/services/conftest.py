"""Services on a real SQLite file, with a sink that keeps what it sent and a chat probe that
answers from a table: the services are called the way a handler, the CLI or the panel calls
them, and the database (audit rows included) is read back."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.deliver.pacer import Pacer
from bot.deliver.sink import ConsoleSink
from bot.models import Post, SendOutcome
from bot.services import Services
from bot.services.base import Actor, ChatInfo, Membership, ProbeFailed
from bot.settings import parse_config
from tests.fakes.timer import RecordingTimer

ADMIN, OTHER_ADMIN, STRANGER = 42, 43, 555
KALTIM, BALIKPAPAN = -1001001, -1001002
AS_ADMIN = Actor(ADMIN, "@admin", ADMIN)
AS_STRANGER = Actor(STRANGER, "@orang", STRANGER)


class KeepingSink(ConsoleSink):
    """A console sink (it numbers, deletes and edits messages like Telegram) that also keeps
    each post sent, by chat."""

    def __init__(self) -> None:
        super().__init__(io.StringIO())
        self.sent: list[tuple[int | str, Post]] = []

    async def send(self, chat_id: int | str, post: Post) -> SendOutcome:
        self.sent.append((chat_id, post))
        return await super().send(chat_id, post)

    def to(self, chat_id: int | str) -> list[Post]:
        return [post for chat, post in self.sent if chat == chat_id]


@dataclass
class TableProbe:
    """Chats and memberships as Telegram would report them; anything else is unknown."""

    chats: dict[int | str, ChatInfo] = field(default_factory=dict)
    members: dict[tuple[int, int | None], Membership] = field(default_factory=dict)

    async def chat(self, ref: int | str) -> ChatInfo:
        if ref not in self.chats:
            raise ProbeFailed("Chat not found")
        return self.chats[ref]

    async def membership(self, chat_id: int, user_id: int | None) -> Membership:
        if (chat_id, user_id) not in self.members:
            raise ProbeFailed("Member not found")
        return self.members[(chat_id, user_id)]


def build(tmp_path: Any, probe: TableProbe, **extra: Any) -> tuple[Services, KeepingSink]:
    config = parse_config(
        {
            "database": f"sqlite:///{tmp_path / 'bot.db'}",
            "admins": [ADMIN],
            "feeds": [{"url": "https://berita.example/rss", "name": "Berita"}],
            "channels": [
                {"chat_id": KALTIM, "name": "Humas Kaltim"},
                {"chat_id": BALIKPAPAN, "name": "Diskominfo Balikpapan"},
            ],
            "parse_workers": 0,
            **extra,
        }
    )
    sink = KeepingSink()
    fast = Pacer(global_per_second=1000, group_per_minute=1000, chat_per_second=1000)
    return Services.create(config, sink, pacer=fast, probe=probe), sink


@pytest.fixture
def probe() -> TableProbe:
    return TableProbe()


@pytest.fixture
def built(tmp_path: Any, probe: TableProbe) -> Iterator[tuple[Services, KeepingSink]]:
    services, sink = build(tmp_path, probe)
    yield services, sink
    services.close()


@pytest.fixture
def services(built: tuple[Services, KeepingSink]) -> Services:
    return built[0]


@pytest.fixture
def sink(built: tuple[Services, KeepingSink]) -> KeepingSink:
    return built[1]


@pytest.fixture
def wakes(services: Services) -> list[str]:
    """One entry per delivery wake-up."""
    woken: list[str] = []
    services.wakeup.connect(lambda: woken.append("wake"))
    return woken


@pytest.fixture
def timer(services: Services) -> RecordingTimer:
    timer = RecordingTimer()
    services.broadcasts.timer = timer
    return timer


def audit_actions(services: Services) -> list[str]:
    """The audit log's actions, oldest first."""
    return [entry.action for entry in reversed(services.store.audit_entries())]
