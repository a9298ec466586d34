"""The realtime poll schedule: interval steps and bounds, pause, backoff, the printed budget."""

from __future__ import annotations

import pytest

from datafast_tui.api.errors import NetworkError, RateLimitedError, ServerError, UnauthorizedError
from datafast_tui.data.realtime_schedule import (
    DEFAULT_INTERVAL,
    MAX_FAILURE_WAIT,
    MAX_INTERVAL,
    MIN_INTERVAL,
    PollSchedule,
    budget_share,
    budget_text,
    check_interval,
    requests_per_minute,
)


def test_default_budget_is_printed_as_24_per_minute_40_percent() -> None:
    assert DEFAULT_INTERVAL == 5
    assert requests_per_minute(5) == 24 and budget_share(5) == pytest.approx(0.4)
    assert budget_text(5) == "every 5 s: 24 requests/min, 40% of the 60/min limit"
    assert budget_text(2) == "every 2 s: 60 requests/min, 100% of the 60/min limit"
    assert budget_text(300) == "every 5 min: 0.4 requests/min, 1% of the 60/min limit"
    assert budget_text(5, short=True) == "every 5 s: 24 req/min, 40% of limit"


def test_plus_and_minus_step_within_bounds() -> None:
    s = PollSchedule()
    assert s.slower() and s.interval == 10
    assert s.faster() and s.faster() and s.interval == 3
    assert s.faster() and s.interval == MIN_INTERVAL
    assert not s.faster() and s.interval == MIN_INTERVAL
    s.interval = 250.0  # from the config: between two steps
    assert s.slower() and s.interval == MAX_INTERVAL and not s.slower()
    s.interval = 7.0
    assert s.faster() and s.interval == 5


def test_pause_toggles() -> None:
    s = PollSchedule()
    assert s.toggle_pause() and s.paused
    assert not s.toggle_pause() and not s.paused


def test_failures_back_off_up_to_a_ceiling_and_success_resets() -> None:
    s = PollSchedule(interval=5)
    delays = []
    for _ in range(6):
        s.failed(NetworkError("down"))
        delays.append(s.next_delay())
    assert delays == [10, 20, MAX_FAILURE_WAIT, MAX_FAILURE_WAIT, MAX_FAILURE_WAIT, MAX_FAILURE_WAIT]
    s.succeeded()
    assert s.next_delay() == 5 and s.failures == 0 and s.error is None
    slow = PollSchedule(interval=120)
    slow.failed(ServerError("boom", status=500))
    assert slow.next_delay() == 120  # never faster than the chosen interval


def test_429_waits_as_long_as_the_server_asked() -> None:
    s = PollSchedule(interval=5)
    s.failed(RateLimitedError("slow down", retry_after=45))
    assert s.rate_limited and s.next_delay() == 45
    s.failed(RateLimitedError("slow down"))  # no reset time given: sit out a window
    assert s.next_delay() == 60


def test_401_tries_rarely() -> None:
    s = PollSchedule()
    s.failed(UnauthorizedError("bad key", status=401))
    assert s.next_delay() >= 300


@pytest.mark.parametrize("value", [1, 301, 0, -5, float("nan"), True, "5"])
def test_bad_intervals_are_refused_with_the_bounds(value) -> None:
    with pytest.raises(ValueError) as exc:
        check_interval(value)
    assert "2" in str(exc.value) or "number" in str(exc.value)


def test_good_intervals_pass() -> None:
    assert check_interval(2) == 2.0 and check_interval(300) == 300.0 and check_interval(7.5) == 7.5
