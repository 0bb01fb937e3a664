"""Old import path, kept while other branches still use it: import from bot.storage.schema."""

from bot.storage.schema import (
    AdminFeedRow as AdminFeedRow,
)
from bot.storage.schema import (
    AdminRow as AdminRow,
)
from bot.storage.schema import (
    AuditRow as AuditRow,
)
from bot.storage.schema import (
    BroadcastRow as BroadcastRow,
)
from bot.storage.schema import (
    ConfirmationRow as ConfirmationRow,
)
