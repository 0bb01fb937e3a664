"""Old import path, kept while other branches still use it: import from bot.storage.schema."""

from bot.storage.schema import (
    CorrectionRow as CorrectionRow,
)
from bot.storage.schema import (
    PauseRow as PauseRow,
)
from bot.storage.schema import (
    RetractionRow as RetractionRow,
)
from bot.storage.schema import (
    ReviewRow as ReviewRow,
)
