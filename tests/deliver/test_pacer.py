"""The pacer on a fake clock: no window is ever exceeded where Telegram counts (on arrival, as
the local Bot API server's flood control does), and the allowance is used in full."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.deliver.pacer import Pacer, Send, is_group
from bot.services import make_pacer
from bot.settings import parse_config
from tests.fakes.bot_api import FloodControl, Limits

NOW = datetime(2024, 2, 14, 8, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fake_pacer(**limits: float) -> tuple[Pacer, FakeClock]:
    clock = FakeClock()
    return Pacer(clock=clock, **limits), clock  # type: ignore[arg-type]


def send_when_ready(pacer: Pacer, clock: FakeClock, chats: Sequence[int | str]) -> list[float]:
    """Send to each chat in turn at the earliest moment the pacer allows, each answered at
    once; return the send times."""
    times = []
    for chat in chats:
        clock.now += pacer.delay_until_ready(chat, clock.now)
        assert pacer.delay_until_ready(chat, clock.now) == 0
        pacer.answered(pacer.record(chat, clock.now, tracked=True))
        times.append(clock.now)
    return times


def arrives(telegram: FloodControl, chat: int, at: float) -> bool:
    """Telegram takes the send (a wait below a nanosecond is float noise of the time sums)."""
    wait = telegram.admit("bot", chat, at)
    return wait == 0 or (wait < 1e-9 and telegram.admit("bot", chat, at + wait) == 0)


def most_in_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


@dataclass(order=True)
class _Answer:
    at: float
    send: Send = field(compare=False)


def simulate(
    pacer: Pacer, clock: FakeClock, chats: list[int], trips: list[tuple[float, float]]
) -> list[tuple[float, int]]:
    """Send to `chats` in order, several in flight: send i takes round trip trips[i][0] and
    arrives trips[i][1] of the way through it. Returns (arrival, chat) of every send."""
    answers: list[_Answer] = []
    arrivals = []
    for chat, (trip, share) in zip(chats, trips, strict=True):
        while True:
            delay = pacer.delay_until_ready(chat, clock.now)
            if answers and answers[0].at <= clock.now + delay:
                answer = heapq.heappop(answers)
                clock.now = max(clock.now, answer.at)
                pacer.answered(answer.send)
                continue
            clock.now += delay
            if pacer.delay_until_ready(chat, clock.now) == 0:
                break
        send = pacer.record(chat, clock.now, tracked=True)
        arrivals.append((clock.now + trip * share, chat))
        heapq.heappush(answers, _Answer(clock.now + trip, send))
    return arrivals


chat_ids = st.sampled_from([-1001, -1002, -1003, 501, 502])
round_trip = st.tuples(st.floats(0.001, 1.5), st.floats(0.0, 1.0))


@given(st.lists(st.tuples(chat_ids, round_trip), min_size=1, max_size=120))
def test_no_window_is_ever_exceeded_where_telegram_counts(
    plan: list[tuple[int, tuple[float, float]]],
) -> None:
    pacer, clock = fake_pacer()
    arrivals = simulate(pacer, clock, [chat for chat, _ in plan], [trip for _, trip in plan])
    telegram = FloodControl(Limits())  # the local Bot API server's own flood control
    for arrival, chat in sorted(arrivals):
        assert arrives(telegram, chat, arrival), (chat, arrival)


@given(st.lists(st.integers(-1005, -1001), min_size=21, max_size=80))
def test_seeded_sends_keep_a_restart_inside_the_windows(chats: list[int]) -> None:
    """Sends before a restart (from the delivery log) and after it, seen by one Telegram."""
    before, clock = fake_pacer()
    sent = [t - clock.now for t in send_when_ready(before, clock, chats)]  # restart at 0
    # the log holds each send's outcome, written after it (the microsecond after, at least)
    logged = [
        (chat, NOW + timedelta(microseconds=math.ceil(t * 1e6)))
        for chat, t in zip(chats, sent, strict=True)
    ]
    restarted, later = fake_pacer()
    later.now = restart = clock.now + 500  # another process: another monotonic clock
    restarted.seed(logged, now=NOW)
    after = [t - restart for t in send_when_ready(restarted, later, chats)]
    telegram = FloodControl(Limits())
    for at, chat in sorted(zip(sent + after, chats + chats, strict=True)):
        assert arrives(telegram, chat, at), (chat, at)


def test_sixty_posts_into_one_channel_use_three_windows_in_full() -> None:
    pacer, clock = fake_pacer(per_chat_in_groups=False)
    times = send_when_ready(pacer, clock, [-100] * 60)
    # 20 + 20 + 20, not 19 a minute (each 20 spread over 0.63 s at 30 a second overall)
    assert 120 < times[-1] - times[0] < 120 + 19 / 30 + 1e-9
    assert most_in_window(times, 60.0) == 20
    # With Telegram's ~1/s per chat applied to channels too (bursts of 3), the first 20 of a
    # window spread over 17 s: 60 posts take 137 s, the least that limit allows.
    pacer, clock = fake_pacer()
    times = send_when_ready(pacer, clock, [-100] * 60)
    assert times[-1] - times[0] == pytest.approx(137)
    assert most_in_window(times, 60.0) == 20


def test_the_global_window_takes_thirty_a_second() -> None:
    pacer, clock = fake_pacer()
    times = send_when_ready(pacer, clock, [-i for i in range(1, 91)])
    assert most_in_window(times, 1.0) == 30
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert max(gaps) <= 2 / 30 + 1e-9  # evenly spread, not 30 at once then a pause
    assert most_in_window(times, 1 / 30 - 1e-9) <= 2
    assert times[-1] - times[0] == pytest.approx(89 / 30, abs=0.05)  # 30 a second


def test_a_send_counts_until_its_answer_not_from_when_it_left() -> None:
    pacer, clock = fake_pacer(global_per_second=1, chat_per_second=100)
    first = pacer.record(-1, clock.now, tracked=True)
    clock.now += 0.9
    assert pacer.delay_until_ready(-3, clock.now) == pytest.approx(1.0)  # in flight: "now"
    clock.now += 0.3  # the answer comes 1.2 s after it left: it may have arrived at 1.2
    pacer.answered(first)
    assert pacer.delay_until_ready(-3, clock.now) == pytest.approx(1.0)
    clock.now += 1.0
    assert pacer.delay_until_ready(-3, clock.now) == 0
    assert pacer.skew == pytest.approx(1.2)  # the longest round trip measured


def test_a_refused_send_does_not_count() -> None:
    pacer, clock = fake_pacer(global_per_second=1, chat_per_second=100)
    send = pacer.record(-1, clock.now, tracked=True)
    assert pacer.delay_until_ready(-2, clock.now) == pytest.approx(1.0)
    pacer.answered(send, refused=True)
    assert pacer.delay_until_ready(-2, clock.now) == 0


def test_an_untracked_send_counts_from_when_it_left_plus_the_measured_skew() -> None:
    pacer, clock = fake_pacer(global_per_second=1, chat_per_second=100)
    measured = pacer.record(-1, clock.now, tracked=True)
    clock.now += 0.08
    pacer.answered(measured)
    clock.now += 5
    pacer.record(-2, clock.now)  # a reply sent by a caller that reports no answer
    assert pacer.delay_until_ready(-3, clock.now) == pytest.approx(1.08)


def test_a_429_pauses_its_scope_then_slows_it_for_a_while() -> None:
    pacer, clock = fake_pacer(group_per_minute=20, chat_per_second=100, adapt_for=600)
    pacer.block(5, chat_id=-1)
    assert pacer.delay_until_ready(-1, clock.now) == pytest.approx(5)
    assert pacer.delay_until_ready(-2, clock.now) == 0  # other chats go on
    clock.now += 5
    assert most_in_window(send_when_ready(pacer, clock, [-1] * 40), 60.0) == 15  # 20 x 0.75
    clock.now += 600
    assert most_in_window(send_when_ready(pacer, clock, [-1] * 40), 60.0) == 20  # calm again
    pacer.block(3)
    assert pacer.delay_until_ready(-2, clock.now) == pytest.approx(3)  # every chat


def test_private_chats_go_about_one_a_second_after_a_short_burst() -> None:
    pacer, clock = fake_pacer(chat_per_second=1.0, chat_burst=3, global_per_second=1e4)
    times = send_when_ready(pacer, clock, [7] * 6)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert gaps == pytest.approx([0, 0, 1.0, 1.0, 1.0], abs=1e-3)
    assert send_when_ready(pacer, clock, [8]) == [clock.now]  # other chats are not held up
    assert is_group("@humas_kota") and is_group(-5) and not is_group(42)


def test_seeding_counts_what_the_log_says_was_sent_in_the_last_minute() -> None:
    pacer, clock = fake_pacer()
    log = [(-100, NOW - timedelta(seconds=50 - i)) for i in range(20)]
    log.append((-200, NOW - timedelta(seconds=90)))  # outside every window
    assert pacer.seed(log, now=NOW) == 21
    assert pacer.delay_until_ready(-100, clock.now) == pytest.approx(10)
    assert pacer.delay_until_ready(-200, clock.now) == 0


async def test_a_waiting_send_wakes_when_an_answer_comes() -> None:
    pacer = Pacer(global_per_second=1, global_window=0.2, chat_per_second=100)
    first = await pacer.acquire(-1, tracked=True)
    second = asyncio.create_task(pacer.acquire(-2))
    await asyncio.sleep(0)
    assert not second.done()  # the first send is in flight: it may arrive any moment
    answered_at = pacer.clock()
    pacer.answered(first)
    send = await asyncio.wait_for(second, 2.0)
    assert send.left - answered_at == pytest.approx(0.2, abs=0.1)


@pytest.mark.parametrize(("paced", "span"), [(True, 137), (False, 120)])
def test_the_config_says_whether_the_chat_pace_holds_in_channels(paced, span) -> None:
    clock = FakeClock()
    pacer = make_pacer(parse_config({"telegram": {"chat_pace_in_groups": paced}}), clock)
    times = send_when_ready(pacer, clock, [-100] * 60)
    assert times[-1] - times[0] == pytest.approx(span, abs=1)
