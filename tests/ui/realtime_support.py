"""Support for the Realtime screen's Pilot tests (no tests here): a movable clock, stores over the demo API."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import httpx

from datafast_tui.api.client import DataFastClient, RetryPolicy
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.app import DataFastApp
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.screens.realtime import RealtimeScreen
from datafast_tui.store_factory import DEMO_BASE_URL, DemoOptions, open_store
from tests.ui.conftest import FROZEN_NOW, wait_for_workers
from tests.unit.demo.conftest import FrozenClock

#: Tests drive polls themselves; a long interval keeps the screen's own timer out of the way.
QUIET = "[realtime]\ninterval = 300\n"


def Clock(now: datetime = FROZEN_NOW) -> FrozenClock:  # noqa: N802 - used like a class
    """A clock the test moves, from the UI tests' frozen moment: the demo's live traffic is generated as it advances."""
    return FrozenClock(now)


def demo_store(clock: FrozenClock, cache: Path):
    """A store factory on the demo API, whose data follows `clock`."""

    async def factory(connection) -> AnalyticsStore:
        return await open_store(connection, demo=DemoOptions(clock=clock, cache_dir=cache),
                                rate_limiter=RateLimiter(10_000, 60))

    return factory


class Switch(httpx.AsyncBaseTransport):
    """The demo API behind a switch: down (no network) or answering 429, then back to normal."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.down = False
        self.retry_after: str | None = None  # set: every request answers 429 with this Retry-After

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("network unreachable")
        if self.retry_after is not None:
            body = {"status": "error", "error": {"code": 429, "message": "Too many requests"}}
            return httpx.Response(429, json=body, headers={"Retry-After": self.retry_after})
        return await self.inner.handle_async_request(request)


def switched_demo_store(clock: FrozenClock, cache: Path, switch_box: list[Switch], **store_options):
    """A demo store whose network a test can cut; no retries, so a failure shows at once."""

    async def factory(connection) -> AnalyticsStore:
        from datafast_tui.demo import DEMO_API_KEY

        inner = await asyncio.to_thread(DemoOptions(clock=clock, cache_dir=cache).transport)
        switch = Switch(inner)
        switch_box.append(switch)
        client = DataFastClient(DEMO_API_KEY, base_url=DEMO_BASE_URL, transport=switch,
                                retry=RetryPolicy(max_attempts=1), rate_limiter=RateLimiter(10_000, 60))
        return AnalyticsStore(client, **store_options)

    return factory


def realtime(app: DataFastApp) -> RealtimeScreen:
    screen = app.screen
    assert isinstance(screen, RealtimeScreen), screen
    return screen


async def poll(pilot, app: DataFastApp) -> None:
    """One poll of the realtime screen, run to completion."""
    realtime(app).poll_now()
    await wait_for_workers(app)
    await pilot.pause()


def toasts(app: DataFastApp) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]  # noqa: SLF001
