"""Logging: one handler on stderr, text or JSON, with every secret masked in what it writes."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

MASK = "<token>"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# The project's log lines carry their facts as key=value ("feed failed feed_id=%s url=%s").
_PLACEHOLDER = re.compile(r"(?:(\w+)=)?%(?:\(\w+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifrxXeEgGcoa%]")
_PAIR = re.compile(r"(?<!\S)(\w+)=(\S+)")
_RESERVED = {"ts", "level", "logger", "msg", "exc_info"}


class Redactor:
    """Removes secrets from text: the bot token whole, URL-encoded and its secret part (the bot
    id before the colon is public, the rest is the password), and other secrets whole."""

    def __init__(self, token: str | None, *secrets: str | None) -> None:
        forms: set[str] = set()
        if token:
            forms = {token, quote(token, safe=""), token.partition(":")[2]}
        forms.update(s for s in secrets if s)
        # longest first, so the whole token is masked once, not piece by piece
        self._forms = sorted((f for f in forms if len(f) >= 4), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, MASK)
        return text


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with each of ``secrets`` (the first taken as the bot token) masked."""
    token, *others = [*secrets, None]
    return Redactor(token, *others)(text)


class RedactingFormatter(logging.Formatter):
    """Formats a record, then masks the secrets in everything it produced: the message with its
    arguments, the traceback with each exception's text, and the stack."""

    def __init__(self, redact: Redactor, fmt: str | None = None) -> None:
        super().__init__(fmt)
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts, level, logger, msg, then the line's key=value fields."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        token, *others = [*secrets, None]
        self._redact = Redactor(token, *others)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in fields(record).items():
            entry.setdefault(key, value)
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        # Secrets may hide in an argument's repr or a traceback: scrub the finished line.
        return self._redact(json.dumps(entry, ensure_ascii=False, default=str))


def fields(record: logging.LogRecord) -> dict[str, Any]:
    """The key=value facts of a log line: from the arguments where the format names them
    (values keep their type and spaces), else from the message text."""
    found: dict[str, Any] = {}
    args = record.args if isinstance(record.args, tuple) else ()
    if args and isinstance(record.msg, str):
        placeholders = [m for m in _PLACEHOLDER.finditer(record.msg) if m.group(0)[-1] != "%"]
        if len(placeholders) == len(args):
            for match, value in zip(placeholders, args, strict=True):
                if match.group(1) and match.group(1) not in _RESERVED:
                    found[match.group(1)] = _plain(value)
    for key, value in _PAIR.findall(record.getMessage()):
        if key not in found and key not in _RESERVED:
            found[key] = _number(value)
    return found


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _number(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def setup_logging(
    token: str | None, *, verbose: bool = False, fmt: str = "text", secrets: Iterable[str] = ()
) -> Redactor:
    """Log to stderr, text or JSON, masking the token and ``secrets`` in every line; returns
    the redactor for other output."""
    hidden = [token, *secrets]
    redactor = Redactor(*hidden)
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter(hidden))
    else:
        handler.setFormatter(RedactingFormatter(redactor, FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram.ext.Updater", "trafilatura"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return redactor
