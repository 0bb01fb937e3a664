"""`Store`: every read and write the bot makes, behind one object."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.admin import AdminQueries
from bot.storage.broadcasts import BroadcastQueries
from bot.storage.channels import ChannelQueries
from bot.storage.confirmations import ConfirmationQueries
from bot.storage.db import make_engine, migrate
from bot.storage.deliveries import DeliveryQueries
from bot.storage.editorial import EditorialQueries
from bot.storage.feeds import FeedQueries
from bot.storage.items import ItemQueries
from bot.storage.leases import LeaseQueries
from bot.storage.records import RecordQueries
from bot.storage.subscriptions import SubscriptionQueries


class Store(
    FeedQueries,
    ItemQueries,
    ChannelQueries,
    DeliveryQueries,
    SubscriptionQueries,
    AdminQueries,
    BroadcastQueries,
    EditorialQueries,
    RecordQueries,
    ConfirmationQueries,
    LeaseQueries,
):
    def __init__(self, url: str) -> None:
        self.engine: Engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        migrate(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
