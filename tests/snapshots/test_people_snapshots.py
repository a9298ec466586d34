"""People screen snapshots (frozen clock, fixed demo seed): the list, and what it cannot carry.

After an intended change: `pytest tests/snapshots/test_people_snapshots.py --snapshot-update`,
then look at the SVGs.
"""

from __future__ import annotations

from datafast_tui.api.filters import Filter
from tests.snapshots.test_overview_snapshots import run_before
from tests.ui.conftest import SIZE, SMALL, settle


def test_people_120x36(snap_compare, make_app) -> None:
    assert snap_compare(make_app("--screen", "people"), terminal_size=SIZE, run_before=run_before("j", "j"))


def test_people_filtered_with_a_left_out_filter_80x24(snap_compare, make_app) -> None:
    async def prepare(pilot) -> None:
        app = pilot.app
        await settle(pilot, app)
        app.add_filter(Filter("page", "is", ("/pricing",)))
        app.add_filter(Filter("country", "is_not", ("United States",)))
        await settle(pilot, app)
        await pilot.press("c")
        await settle(pilot, app)

    assert snap_compare(make_app("--screen", "people"), terminal_size=SMALL, run_before=prepare)
