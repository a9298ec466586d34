"""Shared pieces of the robustness tests (issue 8): demo stores with faults or hostile data, and checks.

`DemoRig` + `rig_store` build the app's store on a private demo API whose database and fault
plan the test can reach (to turn faults off mid-run, to count what writes stored). The
checks are what every screen must pass whatever the data or the network did: no traceback
or Python exception text on screen, no control character or escape sequence in what is
sent to the terminal, no link or click action taken from API text, no worker that died.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from rich.segment import Segment
from textual.pilot import Pilot
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from datafast_tui.api.client import DataFastClient, RetryPolicy
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.app import DataFastApp
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.demo import DEMO_API_KEY, DemoDatabase, FaultPlan, build_demo_app, open_demo_database
from datafast_tui.demo.server import website_id
from datafast_tui.settings import Connection
from datafast_tui.store_factory import DEMO_BASE_URL
from tests.shared_cache import todays_dataset_into
from tests.ui.conftest import (  # noqa: F401 - fixtures re-exported
    demo_cache,
    frozen_clock,
    make_app,
    no_rate_limit_headers,
    wait_for_workers,
)

#: Characters that must never reach the terminal from API text: C0/C1 controls (ESC, BEL,
#: NUL, the 8-bit CSI), DEL, bidi marks, embeddings, overrides and isolates, invisible
#: separators. (U+200D, the zero-width joiner, stays: emoji sequences are made with it.)
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200b\u200c\u200e\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
#: Python's own words on screen: a traceback, or an exception class name as `KeyError: ...`.
PYTHON_TEXT = re.compile(r'Traceback \(most recent call last\)|File "|\b[A-Z][A-Za-z]*(?:Error|Exception): ')
#: Visitors the API can show: human, with at least one pageview (newest first).
SHOWABLE_VISITORS = ("SELECT v.visitor_id FROM visitors v WHERE v.is_bot = 0"
                     " AND EXISTS (SELECT 1 FROM pageviews p WHERE p.vkey = v.vkey) ORDER BY v.vkey DESC LIMIT ?")
#: Where the hostile dataset's forged links and click actions point.
FORGED = ("evil", "app.quit")


@dataclass
class DemoRig:
    """The demo API behind a store the test built: its database (once connected) and fault plan."""

    plan: FaultPlan | None = None
    database: DemoDatabase | None = None
    stores: list[AnalyticsStore] = field(default_factory=list)

    def scalar(self, sql: str, *args: object) -> object:
        assert self.database is not None, "the app has not connected yet"
        with self.database.read() as (conn, _):
            return conn.execute(sql, args).fetchone()[0]

    def column(self, sql: str, *args: object) -> list[object]:
        assert self.database is not None, "the app has not connected yet"
        with self.database.read() as (conn, _):
            return [row[0] for row in conn.execute(sql, args)]


def rig_store(rig: DemoRig, cache: Path, *, clock: Callable[[], datetime] = frozen_clock, hostile: bool = False,
              timeout: float = 10.0, retry: RetryPolicy | None = None) -> Callable:
    """A store factory on a private demo API (hostile data and `rig.plan`'s faults when asked)."""

    async def factory(connection: Connection) -> AnalyticsStore:
        def build() -> httpx.ASGITransport:
            rig.database = open_demo_database(clock=clock, cache_dir=cache, hostile=hostile)
            return httpx.ASGITransport(app=build_demo_app(database=rig.database, faults=rig.plan))

        transport = await asyncio.to_thread(build)
        client = DataFastClient(DEMO_API_KEY, base_url=DEMO_BASE_URL, transport=transport, timeout=timeout,
                                retry=retry, rate_limiter=RateLimiter(10_000, 60))
        store = AnalyticsStore(client, site_id=website_id(rig.database))  # as open_store gives the demo's
        rig.stores.append(store)
        return store

    return factory


@pytest.fixture(scope="session")
def hostile_cache(demo_cache: Path) -> Path:
    """The hostile dataset at the UI tests' frozen moment (demo_cache holds both datasets)."""
    return demo_cache


@pytest.fixture
def worker_failures(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, BaseException]]:
    """Every worker that ended with an exception during the test (exit_on_error=False hides them)."""
    failures: list[tuple[str, BaseException]] = []
    original = Worker._run  # noqa: SLF001

    async def recording(self: Worker, app) -> None:  # type: ignore[no-untyped-def]
        await original(self, app)
        if self.state == WorkerState.ERROR and self.error is not None:
            failures.append((self.name, self.error))

    monkeypatch.setattr(Worker, "_run", recording)
    return failures


async def settle(pilot: Pilot, app: DataFastApp) -> None:
    """Wait until no worker runs (a worker cancelled or failed meanwhile does not stop the wait); drop toasts.

    Unlike tests/ui's settle, an exclusive worker replaced while we wait (the soak's
    faults make loads slow enough for that) is not an error here; `worker_failures` keeps
    the failed ones.
    """
    quiet = 0
    for _ in range(40):
        try:
            await wait_for_workers(app)
        except (WorkerCancelled, WorkerFailed):
            pass
        await pilot.pause()
        quiet = quiet + 1 if all(w.is_finished for w in app.workers) else 0
        if quiet >= 3:
            break
    app.clear_notifications()
    await pilot.pause()


def segments(app: DataFastApp) -> Iterator[Segment]:
    """Every segment the compositor hands the terminal for the current screen."""
    for strip in app.screen._compositor.render_strips():  # noqa: SLF001
        yield from strip


def terminal_problems(app: DataFastApp) -> list[str]:
    """What is wrong with the rendered screen: control characters, forged links or click actions."""
    problems = []
    for segment in segments(app):
        text, style = segment.text, segment.style
        if segment.control:
            problems.append(f"control codes in a segment: {segment.control!r}")
        if CONTROLS.search(text):
            problems.append(f"control character in {text!r}")
        if style is None:
            continue
        link = style.link or ""
        click = str((style.meta or {}).get("@click", ""))
        if any(word in link or word in click for word in FORGED):
            problems.append(f"forged link or action on {text!r}: {link or click}")
    return problems


def python_text(text: str) -> list[str]:
    """Traceback lines or exception class names found in `text`."""
    return [line for line in text.splitlines() if PYTHON_TEXT.search(line)]


@pytest.fixture(scope="session")
def pty_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Private folders for apps run in a pty (pty_app.py), with the demo dataset cached for the
    real clock (the subprocesses run at the real time, not the tests' frozen one)."""
    root = tmp_path_factory.mktemp("pty-home")
    todays_dataset_into(tmp_path_factory, root / "cache" / "datafast-tui")
    return root
