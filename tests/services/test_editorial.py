"""Editorial actions: a review is decided once; a post is retracted or corrected everywhere it
went after a ✅ (once, by token); automatic posting is paused and resumed. Each is recorded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.services import Services
from bot.services.editorial import (
    CORRECT,
    DELETED,
    EDITED,
    RETRACT,
    Answer,
    CorrectionTooLong,
    Decided,
    Done,
    ItemUnknown,
    NotPending,
    Requested,
    UnknownChats,
)
from tests.e2e.feeds import articles, rss
from tests.fakes.feed_server import FeedServer
from tests.services.conftest import (
    AS_ADMIN,
    BALIKPAPAN,
    KALTIM,
    KeepingSink,
    TableProbe,
    audit_actions,
    build,
)


@pytest.fixture
def polled(tmp_path: Any) -> Iterator[tuple[Services, KeepingSink]]:
    """A poll of real feeds: KALTIM reviews every post, BALIKPAPAN takes them at once."""
    server = FeedServer().start()
    server.set("/a.rss", rss(articles()))
    services, sink = build(
        tmp_path,
        TableProbe(),
        feeds=[{"url": f"{server.url}/a.rss"}],
        channels=[{"chat_id": KALTIM, "mode": "review"}, {"chat_id": BALIKPAPAN}],
        fetch={"allow_private_addresses": True},
    )
    yield services, sink
    services.close()
    server.stop()


async def cycle(services: Services) -> None:
    await services.pipeline.poll()
    await services.after_poll()
    await services.outbox.deliver()


async def test_a_review_is_decided_once(polled: tuple[Services, KeepingSink]):
    services, sink = polled
    await cycle(services)
    pending = await services.editorial.pending_reviews()
    first = pending[0]
    wakes: list[str] = []
    services.wakeup.connect(lambda: wakes.append("wake"))
    decided = await services.editorial.decide(first.id, True, AS_ADMIN)
    assert isinstance(decided, Decided) and decided.published and wakes == ["wake"]
    again = await services.editorial.decide(first.id, False, AS_ADMIN)
    assert isinstance(again, NotPending) and again.review is not None
    assert again.review.status == "published"
    await services.outbox.deliver()
    assert len(sink.to(KALTIM)) == 1
    assert audit_actions(services) == ["review_publish"]


async def test_the_desk_pages_through_pending_reviews(polled: tuple[Services, KeepingSink]):
    services, _ = polled
    await cycle(services)
    page = await services.reviews.page(99)  # clamped to the last
    assert page is not None and page.index == page.count - 1
    assert page.facts.chat_names == (str(KALTIM),)


async def test_a_retraction_waits_for_its_confirmation_then_deletes_everywhere(
    polled: tuple[Services, KeepingSink],
):
    services, _ = polled
    await cycle(services)
    item_id = services.store.published_posts(limit=1)[0].item_id
    asked = await services.editorial.request_retract(item_id, AS_ADMIN)
    assert isinstance(asked, Requested) and asked.kind == RETRACT
    assert asked.reach.chat_ids == [str(BALIKPAPAN)]
    done = await services.editorial.answer(RETRACT, asked.token, True, AS_ADMIN)
    assert done == Done(RETRACT, item_id, {str(BALIKPAPAN): DELETED})
    assert await services.editorial.answer(RETRACT, asked.token, True, AS_ADMIN) is Answer.GONE
    assert audit_actions(services) == ["retract_request", "retract"]
    assert await services.editorial.request_retract(10**9, AS_ADMIN) is ItemUnknown.ITEM_UNKNOWN


async def test_a_correction_is_checked_and_can_be_cancelled(polled: tuple[Services, KeepingSink]):
    services, _ = polled
    await cycle(services)
    item_id = services.store.published_posts(limit=1)[0].item_id
    too_long = await services.editorial.request_correct(item_id, "x" * 5000, AS_ADMIN)
    assert isinstance(too_long, CorrectionTooLong) and 0 < too_long.limit < 4096
    asked = await services.editorial.request_correct(item_id, "Angka yang benar: 12", AS_ADMIN)
    assert isinstance(asked, Requested) and "Angka yang benar: 12" in asked.new_html
    cancelled = await services.editorial.answer(CORRECT, asked.token, False, AS_ADMIN)
    assert cancelled is Answer.CANCELLED
    asked = await services.editorial.request_correct(item_id, "Angka yang benar: 12", AS_ADMIN)
    assert isinstance(asked, Requested)
    done = await services.editorial.answer(CORRECT, asked.token, True, AS_ADMIN)
    assert done == Done(CORRECT, item_id, {str(BALIKPAPAN): EDITED})
    assert audit_actions(services) == [
        "correct_request",
        "correct_cancel",
        "correct_request",
        "correct",
    ]


async def test_pauses_are_set_for_known_channels_and_lifted(services: Services, wakes: list[str]):
    unknown = await services.editorial.pause(["@entah"], None, AS_ADMIN)
    assert unknown == UnknownChats(("@entah",))
    pause_id = await services.editorial.pause([str(KALTIM)], None, AS_ADMIN)
    assert isinstance(pause_id, int)
    assert [p.chats for p in await services.editorial.pauses([str(KALTIM)])] == [
        frozenset({str(KALTIM)})
    ]
    assert await services.editorial.pauses([str(BALIKPAPAN)]) == []
    assert await services.editorial.resume(None, AS_ADMIN) == 1
    assert await services.editorial.resume(None, AS_ADMIN) == 0
    assert wakes == ["wake"]
    assert audit_actions(services) == ["pause", "resume", "resume"]
