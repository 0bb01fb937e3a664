"""`Store`: every read and write the bot makes, behind one object."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.admins import AdminQueries
from bot.storage.audit import AuditQueries
from bot.storage.broadcasts import BroadcastQueries
from bot.storage.channels import ChannelQueries
from bot.storage.confirmations import ConfirmationQueries
from bot.storage.db import make_engine, migrate
from bot.storage.deliveries import DeliveryQueries
from bot.storage.delivery_log import DeliveryLogQueries
from bot.storage.editorial import EditorialQueries
from bot.storage.feeds import FeedQueries
from bot.storage.items import ItemQueries
from bot.storage.leases import LeaseQueries
from bot.storage.posts import PostQueries
from bot.storage.stories import StoryQueries
from bot.storage.subscribers import SubscriberQueries


class Store(
    FeedQueries,
    ItemQueries,
    StoryQueries,
    PostQueries,
    ChannelQueries,
    DeliveryQueries,
    DeliveryLogQueries,
    SubscriberQueries,
    AdminQueries,
    AuditQueries,
    BroadcastQueries,
    EditorialQueries,
    ConfirmationQueries,
    LeaseQueries,
):
    """One object, one query module per concept mixed in (see the package's docstring)."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        migrate(self.engine)
        self._file = _sqlite_file(self.engine)
        self._inode = self._file.stat().st_ino if self._file else None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    def ping(self) -> None:
        """Raise unless the database answers. A SQLite file that was removed still answers on
        the connections open to it, but a restart would start empty: that counts as down (and
        so does another file put in its place)."""
        if self._file and not (self._file.exists() and self._file.stat().st_ino == self._inode):
            raise FileNotFoundError(f"berkas basis data {self._file} hilang atau diganti")
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_file(engine: Engine) -> Path | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        return None
    return Path(str(database)).resolve()
