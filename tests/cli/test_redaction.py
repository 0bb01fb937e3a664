"""The bot token never reaches the output: log messages, their arguments, tracebacks, the text
of chained exceptions, and an exception nobody caught."""

from __future__ import annotations

import io
import logging

import pytest

from bot import cli, commands
from bot.log import RedactingFormatter, Redactor

TOKEN = "123456:AAH-secret_Part-of-the-token"
SECRET = TOKEN.split(":")[1]


def _formatted(record_maker) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter(Redactor(TOKEN), "%(message)s"))
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        record_maker(logger)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_message_args_traceback_and_chained_exceptions_are_masked():
    def log_everything(logger: logging.Logger) -> None:
        logger.warning("GET https://api.telegram.org/bot%s/getMe", TOKEN)
        logger.warning("encoded %s", "123456%3AAAH-secret_Part-of-the-token")
        try:
            try:
                raise ValueError(f"inner {TOKEN}")
            except ValueError as inner:
                raise RuntimeError(f"The token `{TOKEN}` was rejected") from inner
        except RuntimeError:
            logger.exception("failed with %r", {"token": TOKEN})
        logger.warning("stack", stack_info=True)

    output = _formatted(log_everything)
    assert "Traceback" in output and "<token>" in output
    assert SECRET not in output and "123456%3A" not in output


@pytest.fixture
def root_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_an_uncaught_exception_in_main_is_logged_without_the_token(
    monkeypatch, capfd, root_logging
):
    def broken(config):
        raise RuntimeError(f"unexpected: https://api.telegram.org/bot{TOKEN}/getMe")

    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setattr(commands, "retention", broken)
    assert cli.main(["retention"]) == 1
    out, err = capfd.readouterr()
    assert "galat tak terduga" in err and "RuntimeError" in err
    assert SECRET not in out + err


def test_short_tokens_mask_only_the_whole_token():
    assert Redactor("1:ab")("x 1:ab y ab") == "x <token> y ab"
    assert Redactor(None)("x 1:ab") == "x 1:ab"
