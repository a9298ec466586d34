"""Helpers for the Breakdowns Pilot tests (no tests here): a recording demo store, a mock-API store, waits."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from datafast_tui.api.client import DataFastClient
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.app import DataFastApp
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.demo import DEMO_API_KEY
from datafast_tui.screens.breakdowns import BreakdownsScreen
from datafast_tui.store_factory import DEMO_BASE_URL, DemoOptions
from datafast_tui.widgets.breakdown_table import BreakdownTable
from tests.ui.conftest import frozen_clock, settle, wait_for_workers

TAB_KEYS = {"pages": 0, "referrers": 1, "campaigns": 2, "goals": 3, "countries": 4, "regions": 5, "cities": 6,
            "browsers": 7, "operating-systems": 8, "devices": 9, "hostnames": 10}


class Recording(httpx.AsyncBaseTransport):
    """Passes requests to the demo and records them; `hold` keeps later pages waiting until released."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []
        self.hold: asyncio.Event | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.hold is not None and request.url.params.get("offset", "0") != "0":
            await self.hold.wait()
        return await self.inner.handle_async_request(request)

    def breakdowns(self) -> list[tuple[str, str]]:
        """(endpoint, offset) of every breakdown request except the limit=2 parent lookups."""
        out = []
        for r in self.requests:
            name = r.url.path.removeprefix("/api/v1/analytics/")
            if "/" not in name and name not in ("overview", "metadata", "realtime", "timeseries") \
                    and r.url.params.get("limit") != "2":
                out.append((name, r.url.params.get("offset", "0")))
        return out


@pytest.fixture
def recorded(make_app, demo_cache: Path) -> Callable[..., tuple[DataFastApp, Recording]]:
    """An app on the Breakdowns screen over the demo, with every request recorded."""

    def build(*argv: str) -> tuple[DataFastApp, Recording]:
        recording = Recording(DemoOptions(clock=frozen_clock, cache_dir=demo_cache).transport())

        async def factory(connection) -> AnalyticsStore:
            client = DataFastClient(DEMO_API_KEY, base_url=DEMO_BASE_URL, transport=recording,
                                    rate_limiter=RateLimiter(10_000, 60))
            return AnalyticsStore(client)

        return make_app("--screen", "breakdowns", *argv, store_factory=factory), recording

    return build


async def finish(pilot, app: DataFastApp) -> None:
    """Wait for the workers like `settle`, but keep the notifications to read them."""
    for _ in range(4):
        await wait_for_workers(app)
        await pilot.pause()


def screen(app: DataFastApp) -> BreakdownsScreen:
    assert isinstance(app.screen, BreakdownsScreen)
    return app.screen


def table(app: DataFastApp) -> BreakdownTable:
    return screen(app).query_one(BreakdownTable)


def labels(app: DataFastApp, key: str) -> list[str]:
    return [row.labels[key] for row in screen(app).state.view]


def tab_keys(endpoint: str) -> list[str]:
    """Keys that move from the first tab to `endpoint`'s."""
    return ["l"] * TAB_KEYS[endpoint]


async def show_tab(pilot, app: DataFastApp, endpoint: str) -> None:
    """Once the app has started, go to `endpoint`'s tab and wait for its rows."""
    await settle(pilot, app)
    await pilot.press(*tab_keys(endpoint))
    await settle(pilot, app)
