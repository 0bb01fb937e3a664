from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


class HasSession(Protocol):
    def session(self) -> AbstractContextManager[Session]: ...


def chunks(values: list[T], size: int = 500) -> Iterator[list[T]]:
    """Slices small enough for one SQL IN (...) list."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
