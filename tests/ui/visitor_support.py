"""Shared pieces of the Visitor screen tests (no tests here).

`visitor_app` builds the app on a private demo whose database the test can query (to pick
visitors of each kind and to check what a write stored), with the recent-visitors file
redirected to a temporary folder.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from textual.pilot import Pilot

from datafast_tui.api.client import DataFastClient
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.app import DataFastApp
from datafast_tui.data.recent_visitors import STATE_DIR_ENV
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.demo import (
    DEMO_API_KEY,
    DemoDatabase,
    build_demo_app,
    open_demo_database,
)
from datafast_tui.settings import Connection
from datafast_tui.store_factory import DEMO_BASE_URL
from tests.ui.conftest import SIZE, frozen_clock, screen_text, settle

#: Visitors of each kind the tests need, as SQL over the demo's tables.
KINDS = {
    # A returning visitor with both browser and server goals: a rich timeline.
    "rich": "SELECT v.visitor_id FROM visitors v JOIN goals g USING (vkey) WHERE v.is_bot = 0"
            " GROUP BY v.vkey HAVING SUM(g.is_server) > 0 AND SUM(1 - g.is_server) > 0 ORDER BY COUNT(*) DESC",
    "bot": "SELECT visitor_id FROM visitors WHERE is_bot = 1",
    "no_pageviews": "SELECT visitor_id FROM visitors v WHERE is_bot = 0"
                    " AND NOT EXISTS (SELECT 1 FROM pageviews p WHERE p.vkey = v.vkey)",
    "customer": "SELECT v.visitor_id FROM visitors v WHERE is_bot = 0"
                " AND EXISTS (SELECT 1 FROM payments p WHERE p.vkey = v.vkey AND p.kind != 'refund')"
                " AND EXISTS (SELECT 1 FROM pageviews p WHERE p.vkey = v.vkey)",
    "low_confidence": "SELECT v.visitor_id FROM visitors v WHERE is_bot = 0 AND pred_confidence < 0.5"
                      " AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.vkey = v.vkey)"
                      " AND EXISTS (SELECT 1 FROM pageviews p WHERE p.vkey = v.vkey)",
    "confident": "SELECT v.visitor_id FROM visitors v WHERE is_bot = 0 AND pred_confidence >= 0.8"
                 " AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.vkey = v.vkey)"
                 " AND EXISTS (SELECT 1 FROM pageviews p WHERE p.vkey = v.vkey)",
}


@dataclass
class DemoHandle:
    """The demo database behind the app's store, once the app has connected."""

    db: DemoDatabase | None = None
    stores: list[AnalyticsStore] = field(default_factory=list)

    def visitor(self, kind: str) -> str:
        assert self.db is not None, "the app has not connected yet"
        with self.db.read() as (conn, _):
            row = conn.execute(KINDS[kind] + " LIMIT 1").fetchone()
        assert row is not None, f"the demo has no {kind} visitor"
        return row[0]

    def scalar(self, sql: str, *args: object) -> object:
        assert self.db is not None
        with self.db.read() as (conn, _):
            return conn.execute(sql, args).fetchone()[0]


def demo_factory(demo_cache: Path, handle: DemoHandle, *, hostile: bool = False) -> Callable:
    async def factory(connection: Connection) -> AnalyticsStore:
        def build() -> httpx.ASGITransport:
            handle.db = open_demo_database(clock=frozen_clock, cache_dir=demo_cache, hostile=hostile)
            return httpx.ASGITransport(app=build_demo_app(database=handle.db))

        transport = await asyncio.to_thread(build)
        client = DataFastClient(DEMO_API_KEY, base_url=DEMO_BASE_URL, transport=transport,
                                rate_limiter=RateLimiter(10_000, 60))
        store = AnalyticsStore(client)
        handle.stores.append(store)
        return store

    return factory


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the recent-visitors file goes during the test."""
    path = tmp_path / "state"
    monkeypatch.setenv(STATE_DIR_ENV, str(path))
    return path


@pytest.fixture
def visitor_app(make_app, demo_cache: Path, state_dir: Path) -> Callable[..., tuple[DataFastApp, DemoHandle]]:
    """`visitor_app(*argv, hostile=False)` -> (app on the Visitor screen unless argv says otherwise, its demo).

    `hostile=True` serves the demo's hostile dataset (markup, escapes, controls in every text field).
    """

    def build(*argv: str, hostile: bool = False) -> tuple[DataFastApp, DemoHandle]:
        handle = DemoHandle()
        if "--screen" not in argv and "--visitor" not in argv:
            argv = ("--screen", "visitor", *argv)
        return make_app(*argv, store_factory=demo_factory(demo_cache, handle, hostile=hostile)), handle

    return build


@pytest.fixture
def visitor_run(visitor_app):
    """`async with visitor_run(kind) as (app, pilot, demo, visitor_id):` the app with that visitor open."""

    @asynccontextmanager
    async def run(kind: str, *argv: str, size: tuple[int, int] = SIZE) -> AsyncIterator[tuple]:
        app, demo = visitor_app(*argv)
        async with app.run_test(size=size) as pilot:
            await settle(pilot, app)
            visitor_id = demo.visitor(kind)
            await open_visitor(pilot, app, visitor_id)
            yield app, pilot, demo, visitor_id

    return run


async def open_visitor(pilot: Pilot, app: DataFastApp, visitor_id: str) -> None:
    """Open a visitor the way a user does: o, type the id, Enter."""
    await pilot.press("o")
    await pilot.pause()
    app.screen.query_one("#visitor-id").value = visitor_id
    await pilot.press("enter")
    await settle(pilot, app)


_FRAME = str.maketrans("", "", "█▀▄│╭╮╰╯─▏▕▁▔")


def flat(app: DataFastApp) -> str:
    """The screen's text in one line: frame characters dropped, runs of spaces joined (wrapped text reads whole)."""
    return " ".join(screen_text(app).translate(_FRAME).split())
