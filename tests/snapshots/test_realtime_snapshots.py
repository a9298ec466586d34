"""SVG snapshots of the Realtime screen (frozen clock, fixed demo seed): live at 120x36 and 80x24, offline.

After an intended change: `pytest tests/snapshots --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.api.writes import PaymentRequest
from datafast_tui.store_factory import DemoOptions, open_store
from datafast_tui.widgets import header
from tests.ui.conftest import SIZE, SMALL, frozen_clock, settle
from tests.ui.realtime_support import QUIET, Clock, poll, switched_demo_store


def store_with_a_payment(cache: Path):
    """The demo at the frozen time, plus a payment from one of the active visitors (the feed shows one)."""

    async def factory(connection):
        store = await open_store(connection, demo=DemoOptions(clock=frozen_clock, cache_dir=cache),
                                 rate_limiter=RateLimiter(10_000, 60))
        visitor = (await store.realtime_map()).value.visitors[2].visitor_id
        await store.create_payment(PaymentRequest(amount=49, currency="USD", transaction_id="snapshot-1",
                                                  visitor_id=visitor, name="Ada Lovelace"))
        return store

    return factory


async def prepare(pilot) -> None:
    await settle(pilot, pilot.app)


def test_realtime_120x36(snap_compare, make_app, demo_cache) -> None:
    app = make_app("--screen", "realtime", config_text=QUIET.replace("300", "5"),
                   store_factory=store_with_a_payment(demo_cache))
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare)


def test_realtime_80x24(snap_compare, make_app, demo_cache) -> None:
    app = make_app("--screen", "realtime", config_text=QUIET.replace("300", "5"),
                   store_factory=store_with_a_payment(demo_cache))
    assert snap_compare(app, terminal_size=SMALL, run_before=prepare)


def test_realtime_offline_keeps_the_lists(snap_compare, make_app, demo_cache, monkeypatch) -> None:
    clock, switches = Clock(), []
    # The header's "data 20s old" compares the store's wall clock with its own: pin both.
    monkeypatch.setattr(header, "time", SimpleNamespace(time=lambda: 1020.0))
    app = make_app("--screen", "realtime", config_text=QUIET,
                   store_factory=switched_demo_store(clock, demo_cache, switches, wall_clock=lambda: 1000.0))
    app.clock = clock

    async def go_offline(pilot) -> None:
        await settle(pilot, app)
        app.screen.schedule.interval = 5
        clock.advance(seconds=20)
        switches[0].down = True
        await poll(pilot, app)
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=SIZE, run_before=go_offline)
