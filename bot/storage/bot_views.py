"""Old import path, kept while other branches still use it: each value type now lives beside the
queries that return it."""

from bot.storage.audit import AuditEntry as AuditEntry
from bot.storage.broadcasts import Broadcast as Broadcast
from bot.storage.broadcasts import Draft as Draft
from bot.storage.broadcasts import Progress as Progress
from bot.storage.channels import ChannelListing as ChannelListing
from bot.storage.feeds import FeedListing as FeedListing
from bot.storage.posts import PublicPost as PublicPost

__all__ = [
    "AuditEntry",
    "Broadcast",
    "ChannelListing",
    "Draft",
    "FeedListing",
    "Progress",
    "PublicPost",
]
