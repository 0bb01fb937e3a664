"""The accountability record as the CLI (`humasbot audit`) and the panel's Riwayat read it:
filtered by local days, by who acted and by kind, exported with local times; and the retention
that forgets who people were, itself recorded when it changed anything.

The configured timezone here is Asia/Makassar (UTC+8)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from bot.app import retention_job
from bot.roles import SCHEDULER
from bot.services import Services
from bot.services.base import MAINTENANCE, OPERATOR, Actor
from bot.services.history import FIELDS, HistoryQuery, Retained
from tests.services.conftest import ADMIN, AS_ADMIN, KALTIM

# Both on 1 February in UTC; in Makassar the first is 23:30 that day, the second 00:30 the next.
LATE_ON_THE_FIRST = datetime(2024, 2, 1, 15, 30, tzinfo=UTC)
EARLY_ON_THE_SECOND = datetime(2024, 2, 1, 16, 30, tzinfo=UTC)


def admin_action(services: Services, at: datetime, name: str, action: str) -> None:
    services.store.record_audit(
        user_id=ADMIN, user_name=name, chat_id=ADMIN, action=action, detail="", now=at
    )


async def actions(services: Services, query: HistoryQuery) -> list[str]:
    found = await services.history.records(query, AS_ADMIN)
    assert isinstance(found, list)
    return [record.action for record in found]


async def test_a_day_is_a_day_in_the_configured_timezone(services: Services):
    admin_action(services, LATE_ON_THE_FIRST, "@humas", "jeda")
    admin_action(services, EARLY_ON_THE_SECOND, "@humas", "lanjut")
    first = date(2024, 2, 1)
    assert await actions(services, HistoryQuery(since=first, until=first)) == ["jeda"]
    assert await actions(services, HistoryQuery(since=date(2024, 2, 2))) == ["lanjut"]
    assert await actions(services, HistoryQuery()) == ["jeda", "lanjut"]


async def test_a_moment_without_an_offset_is_read_in_the_configured_timezone(services: Services):
    admin_action(services, LATE_ON_THE_FIRST, "@humas", "jeda")  # 23:30 local
    admin_action(services, EARLY_ON_THE_SECOND, "@humas", "lanjut")  # 00:30 local
    midnight = datetime(2024, 2, 2, 0, 0)
    assert await actions(services, HistoryQuery(since=midnight)) == ["lanjut"]
    assert await actions(services, HistoryQuery(until=midnight)) == ["jeda"]


async def test_records_are_filtered_by_a_part_of_who_acted_and_by_kind(services: Services):
    admin_action(services, LATE_ON_THE_FIRST, "@HumasKaltim", "jeda")
    admin_action(services, LATE_ON_THE_FIRST, "@diskominfo", "siarkan")
    services.store.add_pause([str(KALTIM)], None, by=ADMIN, now=LATE_ON_THE_FIRST)
    assert await actions(services, HistoryQuery(actor="kaltim")) == ["jeda"]
    assert await actions(services, HistoryQuery(kind="pause")) == ["paused"]
    assert await actions(services, HistoryQuery(kind="admin", actor="DISKOMINFO")) == ["siarkan"]


async def test_the_export_has_every_field_and_local_times(services: Services):
    admin_action(services, LATE_ON_THE_FIRST, "@humas", "jeda")
    rows = await services.history.export(HistoryQuery(), AS_ADMIN)
    assert isinstance(rows, list)
    [row] = rows
    assert list(row) == FIELDS
    assert row["at"] == "2024-02-01T23:30:00+08:00"
    assert (row["kind"], row["actor"], row["chat"]) == ("admin", "@humas", str(ADMIN))


async def test_today_is_the_configured_timezones(services: Services):
    services.history.clock = lambda: EARLY_ON_THE_SECOND
    assert services.history.today() == date(2024, 2, 2)


async def test_retention_forgets_who_acted_in_old_records_and_says_so(services: Services):
    old = datetime.now(UTC) - timedelta(days=400)
    admin_action(services, old, "@humas", "siarkan")
    done = await services.history.apply_retention(OPERATOR)
    assert isinstance(done, Retained)
    assert (done.days, done.audit, done.delivery_log, done.subscribers) == (365, 1, 0, 0)
    entries = services.store.audit_entries()
    assert [(e.action, e.user_id, e.user_name) for e in entries] == [
        ("retention", 0, "cli"),
        ("siarkan", 0, None),
    ]
    assert "audit=1" in entries[0].detail


async def test_retention_that_changes_nothing_leaves_no_record(services: Services):
    admin_action(services, datetime.now(UTC), "@humas", "siarkan")  # recent: kept as it is
    done = await services.history.apply_retention(MAINTENANCE)
    assert isinstance(done, Retained) and not done.changed
    assert [e.action for e in services.store.audit_entries()] == ["siarkan"]


async def test_an_added_admin_reads_the_record_too(services: Services):
    await services.channels.add_admin(777, AS_ADMIN)
    found = await services.history.records(HistoryQuery(kind="admin"), Actor(777, "@baru"))
    assert isinstance(found, list) and [r.action for r in found] == ["admin_add"]


class Roles:
    """The leases this instance holds (bot.roles), as a table."""

    def __init__(self, *held: str) -> None:
        self.held = set(held)

    def holds(self, role: str) -> bool:
        return role in self.held


async def test_the_daily_job_applies_it_as_the_bot_on_the_scheduler_instance_only(
    services: Services,
):
    admin_action(services, datetime.now(UTC) - timedelta(days=400), "@humas", "siarkan")
    elsewhere = SimpleNamespace(bot_data=SimpleNamespace(roles=Roles(), services=services))
    await retention_job(elsewhere)  # type: ignore[arg-type]
    assert [e.user_name for e in services.store.audit_entries()] == ["@humas"]
    here = SimpleNamespace(bot_data=SimpleNamespace(roles=Roles(SCHEDULER), services=services))
    await retention_job(here)  # type: ignore[arg-type]
    entries = services.store.audit_entries()
    assert [(e.action, e.user_name) for e in entries] == [("retention", "bot"), ("siarkan", None)]
