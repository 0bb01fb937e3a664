"""Every admin action is refused at the service level to anyone not an admin, whichever front
end calls it (a handler's guard is not the only wall), and a refusal leaves no audit record."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.services import Services
from bot.services.base import OPERATOR, Actor, Denied
from bot.services.broadcasts import DraftRequest
from bot.services.channels import ChannelEnable
from bot.storage.broadcasts import Draft
from tests.services.conftest import ADMIN, AS_STRANGER, KALTIM

LATER = datetime(2030, 1, 1, tzinfo=UTC)
DRAFT = Draft("Halo", None, None, None, "once", "text", "Asia/Makassar", ADMIN, None, ADMIN)

Action = Callable[[Services, Actor], Awaitable[Any]]
ACTIONS: dict[str, Action] = {
    "feeds.add": lambda s, by: s.feeds.add("https://situs.example/rss", by),
    "feeds.remove": lambda s, by: s.feeds.remove(1, by),
    "feeds.health": lambda s, by: s.feeds.health(by),
    "channels.listing": lambda s, by: s.channels.listing(by),
    "channels.add": lambda s, by: s.channels.add("@kanal", by),
    "channels.remove": lambda s, by: s.channels.remove("1", by),
    "channels.enable": lambda s, by: s.channels.enable(KALTIM, by),
    "channels.admin_list": lambda s, by: s.channels.admin_list(by),
    "channels.add_admin": lambda s, by: s.channels.add_admin(999, by),
    "channels.remove_admin": lambda s, by: s.channels.remove_admin(ADMIN, by),
    "broadcasts.prepare": lambda s, by: s.broadcasts.prepare(DraftRequest(html="Halo"), by),
    "broadcasts.save": lambda s, by: s.broadcasts.save(DRAFT, by),
    "broadcasts.confirm": lambda s, by: s.broadcasts.confirm(1, by),
    "broadcasts.cancel": lambda s, by: s.broadcasts.cancel(1, by),
    "broadcasts.pending": lambda s, by: s.broadcasts.pending(by),
    "broadcasts.take_over": lambda s, by: s.broadcasts.take_over(999, by),
    "editorial.decide": lambda s, by: s.editorial.decide(1, True, by),
    "editorial.request_retract": lambda s, by: s.editorial.request_retract(1, by),
    "editorial.request_correct": lambda s, by: s.editorial.request_correct(1, "Ralat", by),
    "editorial.answer": lambda s, by: s.editorial.answer("tr", "token", True, by),
    "editorial.pause": lambda s, by: s.editorial.pause(None, LATER, by),
    "editorial.resume": lambda s, by: s.editorial.resume(None, by),
    "status.report": lambda s, by: s.status.report(by),
}


@pytest.mark.parametrize("name", sorted(ACTIONS))
async def test_an_admin_action_is_refused_to_a_stranger(services: Services, name: str):
    assert await ACTIONS[name](services, AS_STRANGER) is Denied.NOT_ADMIN
    assert services.store.audit_entries() == []


async def test_an_added_admin_may_act_and_a_removed_one_no_longer(services: Services):
    newcomer = Actor(777, "@baru", 777)
    assert await services.status.report(newcomer) is Denied.NOT_ADMIN
    await services.channels.add_admin(777, Actor(ADMIN))
    assert await services.status.report(newcomer) is not Denied.NOT_ADMIN
    await services.channels.remove_admin(777, Actor(ADMIN))
    assert await services.status.report(newcomer) is Denied.NOT_ADMIN


def test_the_table_names_every_method_that_may_refuse(services: Services):
    """A service method that may answer Denied is an admin action: it belongs in the table."""
    refusing = set()
    for family in ("feeds", "channels", "broadcasts", "editorial", "status", "subscriptions"):
        service = getattr(services, family)
        for name, method in inspect.getmembers(service, inspect.iscoroutinefunction):
            if "Denied" in str(inspect.signature(method).return_annotation):
                refusing.add(f"{family}.{name}")
    assert refusing == set(ACTIONS)


async def test_the_command_line_acts_as_the_operator_and_is_recorded(services: Services):
    """`humasbot channels enable` is run by whoever holds the server: allowed, and audited."""
    services.store.deactivate_channel(KALTIM, "bot removed from channel")
    assert await services.channels.enable(KALTIM, OPERATOR) is ChannelEnable.ENABLED
    (entry,) = services.store.audit_entries()
    assert (entry.action, entry.user_id, entry.user_name) == ("channel_enable", 0, "cli")
    assert not await services.channels.is_admin(OPERATOR.user_id)  # no Telegram user is it
