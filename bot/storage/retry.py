"""Store calls that survive a broken connection: PostgreSQL restarted, a backend terminated, a
network cut. The pool's pre-ping replaces dead connections when they are taken; a connection that
breaks during the call fails it with an OperationalError, and the call runs again on a fresh one.

Only for calls whose second run is harmless: a claim or an outcome whose transaction did not
commit is simply made again; one that committed just before the connection broke makes a
compare-and-set or an insert that ignores conflicts find its work done.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

WAITS = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 5.0)  # about 18 s: a server restart


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def retrying(func: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(func)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        for wait in WAITS:
            try:
                return func(*args, **kwargs)
            except DBAPIError as exc:
                if not _transient(exc):
                    raise
                log.warning(
                    "database unreachable in %s, again in %.2fs: %s",
                    func.__name__,
                    wait,
                    str(exc.orig or exc).splitlines()[0],
                )
                time.sleep(wait)
        return func(*args, **kwargs)

    return call
