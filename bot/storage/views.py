"""Old import path, kept while other branches still use it: each value type now lives beside the
queries that return it."""

from bot.fetch.health import FeedCheck as FeedCheck
from bot.storage.feeds import FeedListing as FeedHealth
from bot.storage.feeds import FeedState as FeedState
from bot.storage.items import Analysed as Analysed
from bot.storage.items import NewItem as NewItem
from bot.storage.stories import StoryCandidate as StoryCandidate

__all__ = ["Analysed", "FeedCheck", "FeedHealth", "FeedState", "NewItem", "StoryCandidate"]
