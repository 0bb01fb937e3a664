"""The fetch stage: HTTP(S) and file:// feed URLs in, :class:`bot.models.FetchResult` out.

One :class:`Fetcher` per cycle or per process; errors are returned, never raised.
"""

from bot.fetch.fetcher import Fetcher

__all__ = ["Fetcher"]
