from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.deliver.pacer import Pacer, is_group


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def send_all_ready(pacer: Pacer, clock: FakeClock, chats: list[int | str]) -> list[float]:
    """Send to each chat in turn at the earliest moment the pacer allows; return the times."""
    times = []
    for chat in chats:
        clock.now += pacer.delay_until_ready(chat, clock.now)
        assert pacer.delay_until_ready(chat, clock.now) == 0
        pacer.record(chat, clock.now)
        times.append(clock.now)
    return times


def max_in_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


def test_global_limit_is_a_sliding_window_evenly_spaced() -> None:
    clock = FakeClock()
    pacer = Pacer(global_per_second=30, margin=0.9, chat_per_second=100, clock=clock)
    times = send_all_ready(pacer, clock, [-i for i in range(1, 100)])
    assert max_in_window(times, 1.0) == 27  # 30 x 0.9
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.75 / 27 - 1e-9  # no burst at a window's start (slack: 1/4 interval)
    assert sum(gaps) / len(gaps) == pytest.approx(1 / 27, rel=0.02)


def test_global_spacing_catches_up_after_a_late_send() -> None:
    clock = FakeClock()
    pacer = Pacer(global_per_second=40, margin=1.0, chat_per_second=100, clock=clock)
    times = []
    for chat in range(-1, -21, -1):  # every send comes 2 ms after it was allowed
        clock.now += pacer.delay_until_ready(chat, clock.now) + 0.002
        pacer.record(chat, clock.now)
        times.append(clock.now)
    mean_gap = (times[-1] - times[0]) / 19
    assert 0.024 < mean_gap < 0.0255  # the rate holds (losing the 2 ms each time: 0.027)
    assert max_in_window(times, 1.0) <= 40


def test_group_limit_per_minute_only_for_groups_and_channels() -> None:
    clock = FakeClock()
    pacer = Pacer(
        group_per_minute=20, margin=0.9, chat_per_second=1000, global_per_second=1e4, clock=clock
    )
    times = send_all_ready(pacer, clock, [-100] * 40)
    assert times[17] - times[0] < 0.1 and times[18] == pytest.approx(times[0] + 60)
    assert max_in_window(times, 60.0) == 18
    clock.now += 2
    private = send_all_ready(pacer, clock, [42] * 25)
    assert private[-1] - private[0] < 0.1  # a private chat has no per-minute limit
    assert is_group("@humas_kota") and is_group(-5) and not is_group(42)


def test_chat_limit_spaces_sends_after_a_burst() -> None:
    clock = FakeClock()
    pacer = Pacer(chat_per_second=1.0, margin=0.5, chat_burst=3, global_per_second=1e4, clock=clock)
    times = send_all_ready(pacer, clock, [7] * 6)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert gaps[:2] == pytest.approx([0, 0], abs=0.01)  # the burst
    assert gaps[2:] == pytest.approx([2.0, 2.0, 2.0], abs=0.01)  # then 1/s x margin 0.5
    assert send_all_ready(pacer, clock, [8]) == [clock.now]  # other chats are not held up


def test_block_pauses_one_chat_or_all() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    pacer.block(5, chat_id=-1)
    assert pacer.delay_until_ready(-1, clock.now) == pytest.approx(5)
    assert pacer.delay_until_ready(-2, clock.now) == 0
    pacer.block(3)
    assert pacer.delay_until_ready(-2, clock.now) == pytest.approx(3)
    clock.now += 5
    assert pacer.delay_until_ready(-1, clock.now) == 0


async def test_acquire_waits_in_real_time() -> None:
    pacer = Pacer(chat_per_second=20, margin=1.0)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(3):
        await pacer.acquire(5)
    assert loop.time() - start == pytest.approx(0.1, abs=0.05)


def test_margin_must_be_a_fraction() -> None:
    with pytest.raises(ValueError, match="margin"):
        Pacer(margin=1.5)
