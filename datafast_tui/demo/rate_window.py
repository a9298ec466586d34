"""The rate-limit headers the demo sends: a sliding window of 60 requests per minute per API.

Every answer says `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`,
the last in epoch milliseconds (the live API's unit is not on its pages; clients meet both
seconds and milliseconds, and the demo's fault plan sends seconds). The demo counts but does
not refuse: its own 429s come from the fault plan, so tests that need many requests run.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

LIMIT = 60
WINDOW_SECONDS = 60.0


class RateWindow:
    def __init__(self, limit: int | None = None, window: float = WINDOW_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        # LIMIT is read now, not at import: the test suite raises it for tests that send more
        # than a real key may (the client waits when the headers say nothing is left).
        self.limit = LIMIT if limit is None else limit
        self.window, self._clock = window, clock
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()  # endpoints run in Starlette's thread pool

    def headers(self) -> dict[str, str]:
        """Count one request now; the headers describing the window after it (none with limit 0)."""
        if self.limit <= 0:
            return {}
        with self._lock:
            now = self._clock()
            while self._starts and self._starts[0] <= now - self.window:
                self._starts.popleft()
            self._starts.append(now)
            remaining = max(0, self.limit - len(self._starts))
            reset = self._starts[0] + self.window
        return {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": str(int(reset * 1000))}
