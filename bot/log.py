"""Logging set-up: quiet library loggers, text or JSON lines, and secrets never printed."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

# The project's log lines carry their facts as key=value ("feed failed feed_id=%s url=%s").
_PLACEHOLDER = re.compile(r"(?:(\w+)=)?%(?:\(\w+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifrxXeEgGcoa%]")
_PAIR = re.compile(r"(?<!\S)(\w+)=(\S+)")
_RESERVED = {"ts", "level", "logger", "msg", "exc_info"}


class RedactToken(logging.Filter):
    """Replaces the bot token (and the webhook secret) wherever they appear in a message."""

    def __init__(self, token: str | None, *secrets: str | None) -> None:
        super().__init__()
        self.token = token
        self.secrets = [s for s in (token, *secrets) if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            record.msg, record.args = redact(message, self.secrets), None
        return True


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "<token>")
    return text


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts, level, logger, msg, then the line's key=value fields."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

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
        # Secrets may hide in an argument's repr or a traceback: scrub the finished line too.
        return redact(json.dumps(entry, ensure_ascii=False, default=str), self.secrets)


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
) -> None:
    hidden = [token, *secrets]
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter(hidden))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(*hidden))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram.ext.Updater", "trafilatura"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
