"""The one place that owns the database: schema, migrations and every query.

Other packages call the methods of `Store`; none of them builds SQL or holds a session. `Store`
mixes in one query class per concept, each module holding the frozen values its queries return:

    schema.py         every table (SQLAlchemy declarative), in one place
    db.py             engines, and MIGRATIONS: the ordered, recorded, idempotent upgrade steps
    base.py           sessions, write transactions, batching, INSERT ... ON CONFLICT DO NOTHING
    retry.py          calls that survive a broken connection
    feeds.py          the feeds followed, what is due, claims between instances, health records
    items.py          new items, their analysis and post, queued to the chats that take them
    stories.py        one story, one post: story ids, MinHash signatures, story keys
    posts.py          a stored post, and the one rule of what the public may read
    channels.py       the chats posts go to, their state, and their delivery report
    subscribers.py    chats that subscribed with /langganan
    deliveries.py     the outbox: claims (fenced by the sender lease's generation), outcomes
    delivery_log.py   every send's outcome and channel change; the pacer's view of it; pruning
    broadcasts.py     drafts, confirmed and scheduled runs, their progress
    editorial.py      reviews, pauses, retractions and corrections
    audit.py          the audit trail, the accountability record, retention
    admins.py         admins added by admins
    confirmations.py  button presses awaited across instances and restarts
    leases.py         one-at-a-time roles between instances
    clock.py          the clock leases and claims are measured on (the server's on PostgreSQL)
    logins.py         web panel login links and sessions (LoginQueries, built on a Store)
    item_details.py   an item as a reviewer reads it (the web panel's review page)
    copy.py           `humasbot db copy`: one database into another

The pure rules storage applies live with their stage: `bot.fetch.health` (a feed's record after
a check), `bot.fetch.freshness` (which items may be posted), `bot.deliver.topics` (which chats
take an item).
"""

from bot.storage.store import Store

__all__ = ["Store"]
