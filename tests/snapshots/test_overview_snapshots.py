"""SVG snapshots of the Overview at 120x36 and 80x24 (frozen clock, fixed demo seed).

After an intended change: `pytest tests/snapshots --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from datafast_tui.api.filters import Filter
from tests.ui.conftest import SIZE, SMALL, settle


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
