"""Funnels screen snapshots (frozen clock, fixed demo seed): the first funnel, and compare at 80x24.

After an intended change: `pytest tests/snapshots/test_funnels_snapshots.py --snapshot-update`,
then look at the SVGs.
"""

from __future__ import annotations

from tests.snapshots.test_overview_snapshots import run_before
from tests.ui.conftest import SIZE, SMALL


def test_funnels_120x36(snap_compare, make_app) -> None:
    assert snap_compare(make_app("--screen", "funnels"), terminal_size=SIZE, run_before=run_before("j"))


def test_funnels_compare_80x24(snap_compare, make_app) -> None:
    app = make_app("--screen", "funnels", "--range", "7d")
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before("c"))
