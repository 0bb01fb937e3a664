from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Protocol

from sqlalchemy.orm import Session


class HasSession(Protocol):
    def session(self) -> AbstractContextManager[Session]: ...


def chunks(values: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
