"""The client-side rate limiter keeps a sliding window of request starts."""

from __future__ import annotations

import asyncio

import pytest

from datafast_tui.api.ratelimit import RateLimiter
from tests.helpers import Recorder, make_client


class FakeTime:
    """A monotonic clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += delay


async def test_requests_within_budget_do_not_wait() -> None:
    t = FakeTime()
    limiter = RateLimiter(5, 60, clock=t.clock, sleep=t.sleep)
    for _ in range(5):
        assert await limiter.acquire() == 0
    assert limiter.used == 5 and t.sleeps == []


async def test_request_over_budget_waits_for_the_window() -> None:
    t = FakeTime()
    limiter = RateLimiter(3, 60, clock=t.clock, sleep=t.sleep)
    for _ in range(3):
        await limiter.acquire()
        t.now += 10  # requests at 1000, 1010, 1020
    assert limiter.delay_needed() == pytest.approx(30)  # the first leaves the window at 1060
    await limiter.acquire()
    assert t.now == pytest.approx(1060) and limiter.waited == pytest.approx(30)


async def test_sixty_per_minute_never_exceeded_in_any_window() -> None:
    t = FakeTime()
    limiter = RateLimiter(60, 60, clock=t.clock, sleep=t.sleep)
    starts = []
    for _ in range(200):
        await limiter.acquire()
        starts.append(t.now)
        t.now += 0.1
    for i, start in enumerate(starts):
        in_window = [s for s in starts[i:] if s < start + 60]
        assert len(in_window) <= 60


async def test_block_until_holds_everyone() -> None:
    t = FakeTime()
    limiter = RateLimiter(60, 60, clock=t.clock, sleep=t.sleep)
    limiter.block_for(15)
    await asyncio.gather(limiter.acquire(), limiter.acquire())
    assert t.now >= 1015


async def test_client_uses_its_limiter_for_every_request() -> None:
    t = FakeTime()
    limiter = RateLimiter(2, 60, clock=t.clock, sleep=t.sleep)
    rec = Recorder()
    async with make_client(rec, limiter=limiter) as client:
        for _ in range(3):
            await client.realtime()
    assert len(rec.requests) == 3 and t.sleeps == [60]


def test_limiter_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0, 60)
    with pytest.raises(ValueError):
        RateLimiter(10, 0)
