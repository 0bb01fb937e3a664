"""The parse stage: feed documents in, :class:`bot.models.ParsedFeed` out. Pure and synchronous.

``parse_feed`` is the only entry point that touches feedparser; ``html_to_text``,
``canonical_url`` and ``item_uid`` are reused by later stages (full-text pages, dedupe).
"""

from bot.parse.feed import parse_feed
from bot.parse.html_text import html_to_text
from bot.parse.identity import canonical_url, item_uid

__all__ = ["canonical_url", "html_to_text", "item_uid", "parse_feed"]
