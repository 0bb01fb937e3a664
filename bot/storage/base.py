from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")

# The pseudo-feed whose items are admin broadcasts (bot.storage.broadcasts).
BROADCAST_FEED_URL = "admin:broadcast"


class HasSession(Protocol):
    def session(self) -> AbstractContextManager[Session]: ...


def chunks(values: list[T], size: int = 500) -> Iterator[list[T]]:
    """Slices small enough for one SQL IN (...) list."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
