"""A client-side rate limiter, so normal use of the app never earns a 429.

A sliding window: at most `max_requests` requests start within any `period` seconds. A caller
over the budget waits for the oldest request to leave the window instead of being refused.
When the server answers 429 anyway, `block_until` holds every caller back until the time the
server named.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from contextvars import ContextVar

#: Called when a request of the current task takes its slot: from then on it is being sent
#: and counts against the budget. The cache sets it so that a load nobody waits for any more
#: is dropped while it still waits for a slot, but kept once it is on its way.
ON_SLOT_TAKEN: ContextVar[Callable[[], None] | None] = ContextVar("ON_SLOT_TAKEN", default=None)


class RateLimiter:
    def __init__(
        self,
        max_requests: int = 60,
        period: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if max_requests < 1:
            raise ValueError("max_requests must be at least 1")
        if period <= 0:
            raise ValueError("period must be positive")
        self.max_requests = max_requests
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._blocked_until = 0.0
        self._lock = asyncio.Lock()
        #: Total seconds callers spent waiting here (benchmarks print it).
        self.waited = 0.0
        #: Told how long a caller is about to wait for the budget (seconds), and 0.0 when it
        #: may go; the store turns it into the header's "waiting for the request budget".
        self.on_wait: Callable[[float], None] | None = None

    def __repr__(self) -> str:
        return f"RateLimiter({self.max_requests} per {self.period:g}s)"

    def _forget_old(self, now: float) -> None:
        while self._starts and self._starts[0] <= now - self.period:
            self._starts.popleft()

    def delay_needed(self) -> float:
        """Seconds the next request would wait now (0 when it may go at once)."""
        now = self._clock()
        self._forget_old(now)
        wait = max(0.0, self._blocked_until - now)
        if len(self._starts) >= self.max_requests:
            wait = max(wait, self._starts[0] + self.period - now)
        return wait

    @property
    def used(self) -> int:
        """Requests started within the current window."""
        self._forget_old(self._clock())
        return len(self._starts)

    async def acquire(self) -> float:
        """Wait for a slot and take it; returns how long this caller waited."""
        # The lock keeps the order fair and makes "check then take" atomic across tasks.
        async with self._lock:
            waited, told = 0.0, False
            try:
                while (delay := self.delay_needed()) > 0:
                    if self.on_wait is not None:
                        self.on_wait(delay)
                        told = True
                    await self._sleep(delay)
                    waited += delay
            finally:
                if told and self.on_wait is not None:
                    self.on_wait(0.0)  # done waiting (or given up: cancelled)
            self._starts.append(self._clock())
            self.waited += waited
        taken = ON_SLOT_TAKEN.get()
        if taken is not None:
            taken()
        return waited

    def block_for(self, seconds: float) -> None:
        """Hold all requests for `seconds` from now, e.g. after a 429 named a reset time."""
        self._blocked_until = max(self._blocked_until, self._clock() + seconds)
