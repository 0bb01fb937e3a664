"""Old import path, kept while other branches still use it: import from bot.storage.schema."""

from bot.storage.schema import (
    LeaseRow as LeaseRow,
)
from bot.storage.schema import (
    StoryKeyRow as StoryKeyRow,
)
