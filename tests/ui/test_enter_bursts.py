"""Enter on a list, and keys typed right behind it: each key acts on the screen the one before it
left, as a fast typist (or tmux, SSH) sends them. An Enter that went through messages (the
table's RowSelected, then OpenVisitor) was handled after the keys behind it: `⏎ 1` opened the
Visitor screen after the Overview, and stayed there."""

from __future__ import annotations

from datafast_tui.screens.overview import OverviewScreen
from tests.ui.conftest import SIZE, settle
from tests.ui.query_on_screen import burst


async def test_enter_on_a_person_then_1_ends_on_the_overview(make_app) -> None:
    app = make_app("--screen", "people")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.screen.state.rows
        burst(app, "enter", "1")
        await settle(pilot, app)
        assert isinstance(app.screen, OverviewScreen), app.screen


async def test_enter_on_a_live_visitor_then_1_ends_on_the_overview(make_app) -> None:
    app = make_app("--screen", "realtime", config_text="[realtime]\ninterval = 300\n")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        burst(app, "enter", "1")
        await settle(pilot, app)
        assert isinstance(app.screen, OverviewScreen), app.screen


async def test_enter_on_a_funnel_step_then_1_ends_on_the_overview(make_app) -> None:
    app = make_app("--screen", "funnels")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        burst(app, "enter", "enter", "1")  # the funnel's steps, People of its first step, then Overview
        await settle(pilot, app)
        assert isinstance(app.screen, OverviewScreen), app.screen
