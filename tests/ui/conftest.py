"""Pilot-test fixtures: the app on the in-process demo API with a frozen clock and a private cache."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual.pilot import Pilot

from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.app import DataFastApp
from datafast_tui.cli import parse_settings
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.settings import Connection
from datafast_tui.store_factory import DemoOptions, open_store
from tests.shared_cache import frozen_datasets

#: Every UI test and snapshot sees the demo site at this moment.
FROZEN_NOW = datetime(2026, 11, 26, 15, 30, tzinfo=timezone.utc)
SIZE = (120, 36)
SMALL = (80, 24)


def frozen_clock() -> datetime:
    return FROZEN_NOW


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo datasets (normal and hostile) at FROZEN_NOW, generated once per test run; every
    app opens them copy-on-write."""
    return frozen_datasets(tmp_path_factory, frozen_clock, "ui")


AppFactory = Callable[..., DataFastApp]


@pytest.fixture
def make_app(demo_cache: Path, tmp_path: Path) -> AppFactory:
    """Build a DataFastApp on the demo; `argv` adds command-line flags, `store_factory` replaces the store."""

    def build(*argv: str, store_factory: Callable[[Connection], Awaitable[AnalyticsStore]] | None = None,
              config_text: str | None = None, env: dict[str, str] | None = None) -> DataFastApp:
        config = tmp_path / "config.toml"
        if config_text is not None:
            config.write_text(config_text, encoding="utf-8")
            config.chmod(0o600)
        settings = parse_settings(["--config", str(config), *argv], env or {})

        async def demo_store(connection: Connection) -> AnalyticsStore:
            return await open_store(connection, demo=DemoOptions(clock=frozen_clock, cache_dir=demo_cache),
                                    rate_limiter=RateLimiter(10_000, 60))

        # No wall-clock timers: a live poll or a refresh firing mid-test (a busy machine makes a
        # test last longer than their 15 s) would add requests the test counts. Tests of them
        # call the app's _poll_live, _periodic_refresh and _roll_preset themselves.
        return DataFastApp(settings, store_factory=store_factory or demo_store, clock=frozen_clock,
                           wall_clock_timers=False)

    return build


async def wait_for_workers(app: DataFastApp) -> None:
    """Wait until each running worker ends: done, failed or cancelled.

    Not workers.wait_for_complete(): it raises WorkerCancelled when a load it waits for is
    superseded (the app cancels a load whose query is no longer on screen, on purpose), and
    stops waiting for the others."""
    await asyncio.gather(*(worker.wait() for worker in list(app.workers)), return_exceptions=True)


async def wait_until(pilot: Pilot, condition: Callable[[], object], what: str, timeout: float = 15.0) -> None:
    """Pause until `condition()` holds (a tooltip shown, a palette's matches listed), failing
    after `timeout` seconds with `what`: a deadline, not a fixed sleep, so a busy machine only
    makes it slower."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout:g} s: {what}")
        await pilot.pause(0.02)


#: The most rounds `settle` waits (each: every worker ended, then a screen refresh).
SETTLE_ROUNDS = 8


async def settle(pilot: Pilot, app: DataFastApp) -> None:
    """Wait until every worker (connecting, then the screens' loads it starts) is done; drop toasts.

    Done means two rounds in a row found no worker running: a load that ends can start the next
    one (connecting starts the screen's load, the overview its trends) only after a refresh."""
    idle = 0
    for _ in range(SETTLE_ROUNDS):
        busy = any(not worker.is_finished for worker in app.workers)
        await wait_for_workers(app)
        await pilot.pause()
        idle = 0 if busy else idle + 1
        if idle == 2:
            break
    app.clear_notifications()
    await pilot.pause()


def screen_text(app: DataFastApp) -> str:
    """What the terminal shows right now, as plain text lines (the compositor's real output)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())  # noqa: SLF001


@pytest.fixture
def no_rate_limit_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo without its X-RateLimit headers. They count real (wall-clock) time, so the
    Realtime line they add ("resets in 58 s") differs from run to run: snapshots go without
    (tests/unit/screens/test_realtime_view.py checks that line)."""
    from datafast_tui.demo import rate_window

    monkeypatch.setattr(rate_window, "LIMIT", 0)
