"""The one place that owns the database: schema, migrations and every query.

Other packages call the functions of `Store`; none of them builds SQL or holds a session.
"""

from bot.storage.store import Store

__all__ = ["Store"]
