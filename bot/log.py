"""Logging set-up: quiet library loggers, and the bot token never printed."""

from __future__ import annotations

import logging
import sys
from urllib.parse import quote

MASK = "<token>"


class Redactor:
    """Removes a secret from text: the whole token, its URL-encoded form and its secret part
    (the bot id before the colon is public, the rest is the password)."""

    def __init__(self, token: str | None) -> None:
        forms: set[str] = set()
        if token:
            forms = {token, quote(token, safe=""), token.partition(":")[2]}
        # longest first, so the whole token is masked once, not piece by piece
        self._forms = sorted((f for f in forms if len(f) >= 4), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, MASK)
        return text


class RedactingFormatter(logging.Formatter):
    """Formats a record, then masks the token in everything it produced: the message with its
    arguments, the traceback with each exception's text, and the stack."""

    def __init__(self, redact: Redactor, fmt: str | None = None) -> None:
        super().__init__(fmt)
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(token: str | None, *, verbose: bool = False) -> Redactor:
    """Log to stderr through the redacting formatter; returns the redactor for other output."""
    redact = Redactor(token)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(redact, FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram.ext.Updater", "trafilatura"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return redact
