"""When the Realtime screen polls next: the interval, pause, and backing off after failures.

Plain state, no Textual and no clock of its own: the screen asks `next_delay()` after each
poll finished and arms a one-shot timer with it, so polls never overlap or pile up.
"""

from __future__ import annotations

from dataclasses import dataclass

from datafast_tui.api.errors import DataFastError, RateLimitedError, UnauthorizedError

#: The intervals `+` and `-` step through (seconds). A configured value between two steps
#: is kept as is; the next key press moves to the neighbouring step.
INTERVAL_STEPS: tuple[float, ...] = (2, 3, 5, 10, 15, 30, 60, 120, 300)
MIN_INTERVAL, MAX_INTERVAL = INTERVAL_STEPS[0], INTERVAL_STEPS[-1]
DEFAULT_INTERVAL = 5.0
#: Each poll asks for the live count and the realtime map.
REQUESTS_PER_POLL = 2
#: The API's documented budget per key.
RATE_LIMIT_PER_MINUTE = 60
#: Longest wait between tries while the connection is down, unless the interval is longer:
#: short enough that the screen recovers soon after the network does.
MAX_FAILURE_WAIT = 30.0
#: After a 401 nothing changes until the key does; try rarely.
UNAUTHORIZED_WAIT = 300.0


def check_interval(seconds: float) -> float:
    """`seconds` as a float when it is a usable interval; ValueError naming the bounds otherwise."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds != seconds:
        raise ValueError("the interval must be a number of seconds")
    if not MIN_INTERVAL <= seconds <= MAX_INTERVAL:
        raise ValueError(f"the interval is {seconds:g} seconds; use {MIN_INTERVAL:g} to {MAX_INTERVAL:g}")
    return float(seconds)


def requests_per_minute(interval: float) -> float:
    return REQUESTS_PER_POLL * 60.0 / interval


def budget_share(interval: float) -> float:
    """The share (0..1+) of the per-minute rate limit that polling at `interval` uses."""
    return requests_per_minute(interval) / RATE_LIMIT_PER_MINUTE


def interval_text(seconds: float) -> str:
    """"5 s", "2 min", "90 s"."""
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def budget_text(interval: float, *, short: bool = False) -> str:
    """"every 5 s: 24 requests/min, 40% of the 60/min limit" (short: "every 5 s: 24 req/min, 40% of limit")."""
    per_minute = requests_per_minute(interval)
    count = f"{per_minute:.0f}" if per_minute >= 10 or per_minute == int(per_minute) else f"{per_minute:.1f}"
    share = f"{budget_share(interval):.0%}"
    if short:
        return f"every {interval_text(interval)}: {count} req/min, {share} of limit"
    return f"every {interval_text(interval)}: {count} requests/min, {share} of the {RATE_LIMIT_PER_MINUTE}/min limit"


@dataclass
class PollSchedule:
    """The polling state the keys change (`+`, `-`, `p`) and the outcome of the last polls."""

    interval: float = DEFAULT_INTERVAL
    paused: bool = False
    #: Failed polls in a row (0 after a success).
    failures: int = 0
    #: Seconds the server asked us to wait (429 Retry-After), for the next delay only.
    server_wait: float | None = None
    #: The last failure's error, for the screen to explain.
    error: DataFastError | None = None

    def slower(self) -> bool:
        """`+`: the next longer interval. False when already at the longest."""
        longer = [s for s in INTERVAL_STEPS if s > self.interval]
        if not longer:
            return False
        self.interval = float(longer[0])
        return True

    def faster(self) -> bool:
        """`-`: the next shorter interval. False when already at the shortest."""
        shorter = [s for s in INTERVAL_STEPS if s < self.interval]
        if not shorter:
            return False
        self.interval = float(shorter[-1])
        return True

    def toggle_pause(self) -> bool:
        """`p`; returns whether polling is paused now."""
        self.paused = not self.paused
        return self.paused

    def succeeded(self) -> None:
        self.failures, self.server_wait, self.error = 0, None, None

    def failed(self, error: DataFastError) -> None:
        self.failures += 1
        self.error = error
        self.server_wait = error.retry_after if isinstance(error, RateLimitedError) else None

    @property
    def rate_limited(self) -> bool:
        return isinstance(self.error, RateLimitedError)

    def next_delay(self) -> float:
        """Seconds from the end of this poll to the start of the next.

        The interval while things work; after failures the interval doubles per failure up
        to MAX_FAILURE_WAIT (or the interval, if longer), so an outage costs few requests
        and the screen still notices soon that the network is back. A 429 waits at least
        as long as the server asked.
        """
        if self.failures == 0:
            return self.interval
        if isinstance(self.error, UnauthorizedError):
            return max(self.interval, UNAUTHORIZED_WAIT)
        ceiling = max(self.interval, MAX_FAILURE_WAIT)
        delay = min(ceiling, self.interval * 2 ** self.failures)
        if self.server_wait is not None:
            delay = max(delay, self.server_wait)
        elif self.rate_limited:
            delay = max(delay, 60.0)  # a 429 without a reset time: sit out a whole window
        return delay
