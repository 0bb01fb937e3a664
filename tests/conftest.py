import os

# python-telegram-bot 22 warns when RetryAfter.retry_after is read as a number unless opted in to
# timedelta values; with filterwarnings=error that warning would replace the RetryAfter itself.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from hypothesis import settings

# Property tests explore the same examples on every run: the suite stays deterministic in CI.
# HYPOTHESIS_PROFILE=explore searches widely with fresh random examples, for a developer's run.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore", max_examples=1000, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


# --- databases: every store test runs on SQLite and on PostgreSQL (tests/backends.py) ---------

from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy.engine import URL  # noqa: E402

from tests.backends import fresh_schema, session_database  # noqa: E402


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[URL]:
    """This session's database on the PostgreSQL server (skips or fails when there is none)."""
    with session_database() as url:
        yield url


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of an empty PostgreSQL database for one test."""
    database = request.getfixturevalue("postgres_database")
    with fresh_schema(database) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """An empty database for one test, on each backend in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'humasbot.db'}"
    return str(request.getfixturevalue("postgres_url"))
