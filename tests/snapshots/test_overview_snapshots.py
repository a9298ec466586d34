"""SVG snapshots of the Overview at 120x36 and 80x24 (frozen clock, fixed demo seed).

After an intended change: `pytest tests/snapshots --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from datafast_tui.api.filters import Filter
from tests.ui.conftest import SIZE, SMALL, frozen_clock, settle
from tests.ui.query_on_screen import gated_demo_store


def run_before(*keys: str):
    async def prepare(pilot) -> None:
        await settle(pilot, pilot.app)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, pilot.app)

    return prepare


def test_overview_120x36(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before())


def test_overview_80x24(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before())


def test_overview_compare_revenue_with_filter(snap_compare, make_app) -> None:
    app = make_app("--range", "last_7_days")

    async def prepare(pilot) -> None:
        await settle(pilot, app)
        app.add_filter(Filter("device", "is", ("desktop",)))
        await pilot.press("c", "m", "m")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=SIZE, run_before=prepare)


def test_help_80x24(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before("question_mark"))


def test_range_menu_80x24(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before("d"))


def test_overview_loading_the_next_range_80x24(snap_compare, make_app, demo_cache) -> None:
    # The API is slow to answer `[`: the old numbers go, the new range's header says it is loading.
    factory, gate = gated_demo_store(demo_cache, frozen_clock)
    app = make_app(store_factory=factory)

    async def prepare(pilot) -> None:
        await settle(pilot, app)
        gate.open.clear()
        await pilot.press("left_square_bracket")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SMALL, run_before=prepare)


def test_overview_filter_chip_focused_80x24(snap_compare, make_app) -> None:
    # Shift+Tab twice from the top table (past the chart) reaches the chip: it shows it has the focus (⌫ removes it).
    app = make_app("--range", "last_7_days")

    async def prepare(pilot) -> None:
        await settle(pilot, app)
        app.add_filter(Filter("country", "is", ("France",)))
        await settle(pilot, app)
        await pilot.press("shift+tab", "shift+tab")
        await pilot.pause()
        assert app.screen.focused is not None and type(app.screen.focused).__name__ == "FilterChip"

    assert snap_compare(app, terminal_size=SMALL, run_before=prepare)
