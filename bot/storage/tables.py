"""Old import path, kept while other branches still use it: import from bot.storage.schema."""

from bot.storage.schema import (
    Base as Base,
)
from bot.storage.schema import (
    ChannelRow as ChannelRow,
)
from bot.storage.schema import (
    DeliveryRow as DeliveryRow,
)
from bot.storage.schema import (
    FeedRow as FeedRow,
)
from bot.storage.schema import (
    ItemRow as ItemRow,
)
from bot.storage.schema import (
    QuoteRow as QuoteRow,
)
from bot.storage.schema import (
    SchemaVersion as SchemaVersion,
)
from bot.storage.schema import (
    UTCDateTime as UTCDateTime,
)
from bot.storage.schema import (
    utcnow as utcnow,
)
