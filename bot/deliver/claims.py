"""Who holds an outbox claim, and whether that worker is still alive.

A claim token is ``host:pid:nonce``. On the same host a worker whose process is gone is dead at
once (its rows go out again on restart, not after a timeout); the nonce tells a restarted
process that got the same pid (pid 1 in a container) from its dead predecessor. A worker on
another host, or a process we cannot see, is dead when it stopped renewing its claims for a
lease.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import timedelta


def new_worker_token() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def worker_is_dead(token: str, idle: timedelta, *, lease: timedelta, me: str) -> bool:
    """True when the worker that claimed rows with `token`, and last renewed them `idle` ago,
    can no longer finish them."""
    if token == me:
        return False
    if idle > lease:
        return True
    return process_is_gone(token)


def process_is_gone(token: str) -> bool:
    """True when `token` names a process on this host that is no longer running (or this very
    process under an earlier token: a restart that got the same pid). Another host: False."""
    host, _, rest = token.partition(":")
    pid_text, _, _nonce = rest.partition(":")
    if host != socket.gethostname()[:60] or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    return pid == os.getpid() or not _pid_alive(pid)
