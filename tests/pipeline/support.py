"""Shared pieces for pipeline tests: services on a real SQLite file and a recording sink."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import select

from bot.deliver.pacer import Pacer
from bot.models import Post, SendOutcome
from bot.services import Services
from bot.settings import parse_config
from bot.storage import Store
from bot.storage.base import BROADCAST_FEED_URL
from bot.storage.schema import ChannelRow, DeliveryRow, FeedRow, ItemRow
from tests.e2e.feeds import articles


class RecordingSink:
    def __init__(self) -> None:
        self.sent: list[tuple[int | str, Post]] = []

    async def send(self, chat_id: int | str, post: Post) -> SendOutcome:
        self.sent.append((chat_id, post))
        return SendOutcome("sent", message_id=len(self.sent))

    def to(self, chat_id: int | str) -> list[Post]:
        return [post for chat, post in self.sent if chat == chat_id]


def make_services(
    tmp_path: Any, feeds: list[dict[str, Any]], **extra: Any
) -> tuple[Services, RecordingSink]:
    config = parse_config(
        {
            "database": f"sqlite:///{tmp_path / 'bot.db'}",
            "feeds": feeds,
            "channels": [{"chat_id": -1001}, {"chat_id": -1002}],
            "fetch": {"allow_private_addresses": True, "timeout": 5},
            **extra,
        }
    )
    sink = RecordingSink()
    fast = Pacer(global_per_second=1000, group_per_minute=1000, chat_per_second=1000)
    return Services.create(config, sink, pacer=fast), sink


def article(article_id: str) -> dict[str, Any]:
    return next(a for a in articles() if a["id"] == article_id)


def entry(
    guid: str,
    link: str,
    title: str,
    text: str = "",
    *,
    summary: str | None = None,
    age: timedelta = timedelta(hours=1),
) -> str:
    """One RSS item: ``text`` as content:encoded paragraphs, ``summary`` as description."""
    published = format_datetime(datetime.now(UTC) - age)
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p)
    content = f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded>" if text else ""
    description = escape(summary if summary is not None else text[:200])
    return (
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<guid isPermaLink='false'>{escape(guid)}</guid><pubDate>{published}</pubDate>"
        f"<description>{description}</description>{content}</item>"
    )


def feed(title: str, *entries: str, ttl: int | None = None) -> bytes:
    extra = f"<ttl>{ttl}</ttl>" if ttl else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{escape(title)}</title><link>https://x.example/</link>{extra}"
        f"{''.join(entries)}</channel></rss>"
    ).encode()


def queue_broadcast(store: Store, chat_ids: list[int], now: datetime, html: str = "Siaran") -> int:
    """An admin broadcast run as the bot stores it: an item of the broadcast pseudo-feed and one
    pending delivery per chat. Returns the item id."""
    with store.session() as session:
        feed = session.scalar(select(FeedRow).where(FeedRow.url == BROADCAST_FEED_URL))
        if feed is None:
            feed = FeedRow(url=BROADCAST_FEED_URL, enabled=False, failures=0, items_seen=0)
            session.add(feed)
            session.flush()
        item = ItemRow(
            feed_id=feed.id,
            uid=f"broadcast:1:{now.timestamp()}",
            title="Siaran",
            first_seen_at=now,
            post_html=html,
            is_broadcast=True,
        )
        session.add(item)
        session.flush()
        wanted = [str(chat_id) for chat_id in chat_ids]
        for channel_id in session.scalars(
            select(ChannelRow.id).where(ChannelRow.chat_id.in_(wanted))
        ):
            session.add(
                DeliveryRow(
                    channel_id=channel_id,
                    item_id=item.id,
                    status="pending",
                    attempts=0,
                    created_at=now,
                )
            )
        return item.id
