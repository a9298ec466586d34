"""Breakdowns screen snapshots: tabs, sorting, sideways-scrolling campaigns, search, export dialog.

The same rules as the Overview's (test_overview_snapshots.py): frozen clock, fixed demo seed,
`--snapshot-update` after an intended change, and a look at the SVGs.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from datafast_tui.screens.breakdowns import BreakdownsScreen
from tests.snapshots.test_overview_snapshots import run_before
from tests.ui.conftest import SIZE, SMALL


@pytest.fixture
def fixed_place(monkeypatch):
    """The export dialog's default path depends on the folder and the local time: fix both."""
    monkeypatch.setattr(BreakdownsScreen, "export_dir", lambda self: Path("/home/ana/reports"))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_breakdowns_pages_120x36(snap_compare, make_app) -> None:
    assert snap_compare(make_app("--screen", "breakdowns"), terminal_size=SIZE, run_before=run_before("j", "j"))


def test_breakdowns_countries_by_revenue_80x24(snap_compare, make_app) -> None:
    keys = ("l",) * 4 + ("s", "s")
    assert snap_compare(make_app("--screen", "breakdowns"), terminal_size=SMALL, run_before=run_before(*keys))


def test_breakdowns_campaigns_120x36(snap_compare, make_app) -> None:
    keys = ("l", "l", "right", "right", "right")
    assert snap_compare(make_app("--screen", "breakdowns"), terminal_size=SIZE, run_before=run_before(*keys))


def test_breakdowns_search_80x24(snap_compare, make_app) -> None:
    keys = ("l",) * 6 + ("slash", "s", "a", "n")
    assert snap_compare(make_app("--screen", "breakdowns"), terminal_size=SMALL, run_before=run_before(*keys))


def test_breakdowns_export_dialog_120x36(snap_compare, make_app, fixed_place) -> None:
    keys = ("l",) * 6 + ("e",)
    assert snap_compare(make_app("--screen", "breakdowns"), terminal_size=SIZE, run_before=run_before(*keys))
