"""Checks shared by the burst-typing tests (no tests here): keys typed with no pause, and the
invariant that every number on screen is the API's answer for the query in the header."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
from textual import events

from datafast_tui.api.client import DataFastClient
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.app import DataFastApp
from datafast_tui.data.kpis import METRICS, format_value
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.demo import DEMO_API_KEY
from datafast_tui.screens.breakdowns import BreakdownsScreen
from datafast_tui.screens.overview import OverviewScreen
from datafast_tui.settings import Connection
from datafast_tui.store_factory import DEMO_BASE_URL, DemoOptions
from datafast_tui.widgets.kpi import KpiCard
from datafast_tui.widgets.query_bar import range_text
from datafast_tui.widgets.top_table import TopTable
from tests.fake_api import StoreFactory
from tests.ui.conftest import screen_text

#: The character each named key types (None: it types nothing).
CHARACTERS = {"left_square_bracket": "[", "right_square_bracket": "]", "slash": "/", "question_mark": "?",
              "enter": "\r", "escape": "\x1b", "tab": "\t", "backspace": "\x7f", "space": " "}


def burst(app: DataFastApp, *keys: str) -> None:
    """Keys as a fast typist, a paste or an SSH link delivers them: all queued at once, none
    waiting for the last to be handled (Pilot.press waits after each key)."""
    for key in keys:
        character = CHARACTERS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


async def assert_numbers_answer_the_query(app: DataFastApp, *, after: str = "") -> None:
    """Once idle: the header shows the app's query, and every KPI, top row and tab row on screen
    is what the API answers for that query (asked again, past the cache). `after` names what
    was typed, for the failure message."""
    assert app.store is not None
    query, client, text = app.query, app.store.client, screen_text(app)
    assert range_text(query, app.site_zone) in text, f"after {after}: the header does not show {range_text(query, app.site_zone)!r}"
    screen = app.screen
    if isinstance(screen, OverviewScreen):
        expected = await client.overview(query)
        narrow = screen.size.width < 100
        for metric in METRICS:
            card = screen.query_one(f"#kpi-{metric.name}", KpiCard)
            shown = str(card.query_one(".value").render())
            want = format_value(metric, expected.metric(metric.name), app.currency, narrow=narrow)
            assert shown == want, (f"after {after}: {metric.name} {shown!r} on screen, the API says {want!r} "
                                   f"for {range_text(query, app.site_zone)}")
        if screen.tops_shown:
            for name in ("pages", "referrers", "countries"):
                table = screen.query_one(f"#top-{name}", TopTable)
                rows = (await client.breakdown(name, query, limit=10)).rows
                assert [r.visitors for r in table.rows] == [r.visitors for r in rows], f"after {after}: {name}"
    elif isinstance(screen, BreakdownsScreen):
        state = screen.state
        assert state.rows is not None and state.rows.query == query, f"after {after}: another query's rows"
        rows = (await client.breakdown(state.endpoint, query, limit=screen.page_size)).rows
        assert [r.visitors for r in state.rows.rows[:len(rows)]] == [r.visitors for r in rows]


class GatedTransport(httpx.AsyncBaseTransport):
    """The demo's transport with a gate: while closed, requests wait (a slow API, frozen in time)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.open = asyncio.Event()
        self.open.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await self.open.wait()
        return await self.inner.handle_async_request(request)


def gated_demo_store(demo_cache: Path, clock: Callable[[], datetime]) -> tuple[StoreFactory, GatedTransport]:
    """A demo store factory whose requests pass a gate the test opens and closes."""
    gate = GatedTransport(DemoOptions(clock=clock, cache_dir=demo_cache).transport())

    async def factory(connection: Connection) -> AnalyticsStore:
        client = DataFastClient(DEMO_API_KEY, base_url=DEMO_BASE_URL, transport=gate,
                                rate_limiter=RateLimiter(10_000, 60))
        return AnalyticsStore(client)

    return factory, gate
