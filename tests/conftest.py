import os
from pathlib import Path

import pytest

# python-telegram-bot 22 warns when RetryAfter.retry_after is read as a number unless opted in to
# timedelta values; with filterwarnings=error that warning would replace the RetryAfter itself.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from hypothesis import settings

# Property tests explore the same examples on every run: the suite stays deterministic in CI.
# HYPOTHESIS_PROFILE=explore searches widely with fresh random examples, for a developer's run.
# No deadline: a loaded machine must not fail a property test (speed is measured in bench/).
settings.register_profile("deterministic", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", max_examples=1000, database=None, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


# End-to-end and command-line tests start the bot as a subprocess: `make test-fast` (-m "not slow")
# leaves them out; tests elsewhere that start a process carry the marker themselves.
SLOW_FOLDERS = {"e2e", "cli"}
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = item.path.resolve().relative_to(TESTS).parts[0]
        if folder in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)
