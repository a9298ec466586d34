"""Every key of the shell and the Overview does what it says (state and rendered text)."""

from __future__ import annotations

from datetime import date

from datafast_tui.dialogs.date_range import DateRangeMenu
from datafast_tui.dialogs.filter import FilterDialog
from datafast_tui.dialogs.help import HelpDialog
from datafast_tui.widgets.chart import TimeChart
from datafast_tui.widgets.query_bar import FilterChip
from tests.ui.conftest import SIZE, screen_text, settle


async def test_range_menu_keys_and_period_steps(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("d")
        assert isinstance(app.screen, DateRangeMenu)
        await pilot.press("7")
        await settle(pilot, app)
        assert app.query.range.preset == "last_7_days"
        assert (app.query.range.start, app.query.range.end) == (date(2026, 11, 20), date(2026, 11, 26))
        assert "Last 7 days (Nov 20 – Nov 26, 2026)" in screen_text(app)
        await pilot.press("left_square_bracket")
        await settle(pilot, app)
        assert (app.query.range.start, app.query.range.end) == (date(2026, 11, 13), date(2026, 11, 19))
        assert "Nov 13 – Nov 19, 2026" in screen_text(app)
        await pilot.press("right_square_bracket")
        await settle(pilot, app)
        assert app.query.range.end == date(2026, 11, 26)
        await pilot.press("right_square_bracket")  # nothing after today
        await pilot.pause()
        assert app.query.range.end == date(2026, 11, 26)
        for key, preset in (("t", "today"), ("y", "yesterday"), ("a", "all_time"), ("l", "last_month")):
            await pilot.press("d", key)
            await settle(pilot, app)
            assert app.query.range.preset == preset


async def test_custom_range_and_bad_dates(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("d", "c")
        menu = app.screen
        assert isinstance(menu, DateRangeMenu)
        start, end = menu.query_one("#start"), menu.query_one("#end")
        start.value, end.value = "2026-11-10", "2026-11-01"
        end.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is menu
        assert "before the start date" in str(menu.query_one("#error").render())
        end.value = "2026-13-45"
        await pilot.press("enter")
        await pilot.pause()
        assert "is not a date" in str(menu.query_one("#error").render())
        end.value = "2026-11-15"
        await pilot.press("enter")
        await settle(pilot, app)
        assert (app.query.range.start, app.query.range.end) == (date(2026, 11, 10), date(2026, 11, 15))
        assert "Nov 10 – Nov 15, 2026" in screen_text(app)
        await pilot.press("d", "escape")
        assert app.query.range.start == date(2026, 11, 10)


async def test_compare_toggles_the_deltas(make_app) -> None:
    app = make_app("--range", "last_7_days")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        before = app.store.requests_sent
        assert "c: compare" in screen_text(app)
        await pilot.press("c")
        await settle(pilot, app)
        assert app.query.compare
        text = screen_text(app)
        assert "compare on" in text and "%" in text and ("▲" in text or "▼" in text)
        # Only the previous period is new: its overview, its series and each top table's rows.
        assert app.store.requests_sent - before == 2 + 3
        chart = app.screen.query_one(TimeChart)
        assert any(s.label == "previous period" for s in chart.data.series)
        await pilot.press("c")
        await settle(pilot, app)
        assert not app.query.compare and "c: compare" in screen_text(app)


async def test_compare_refused_for_all_time(make_app) -> None:
    app = make_app("--range", "all_time")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        assert not app.query.compare


async def test_metric_and_interval_keys(make_app) -> None:
    app = make_app("--range", "last_7_days")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert screen.metric == "visitors" and screen.interval == "day"
        assert "Visitors by day" in screen_text(app)
        await pilot.press("m")
        await settle(pilot, app)
        assert screen.metric == "sessions" and "Sessions by day" in screen_text(app)
        await pilot.press("m")
        await settle(pilot, app)
        assert screen.metric == "revenue" and "■ new  ■ renewal  ■ refund" in screen_text(app)
        labels = [s.label for s in screen.query_one(TimeChart).data.series]
        assert labels == ["Revenue", "new", "renewal", "refund"]
        await pilot.press("i")
        await settle(pilot, app)
        assert screen.interval == "hour" and "by hour" in screen_text(app)
        assert len(screen.query_one(TimeChart).data.x_labels) == 7 * 24
        await pilot.press("i")
        await settle(pilot, app)
        assert screen.interval == "day"  # week and month make no sense for 7 days: skipped


async def test_help_lists_the_bindings_of_the_screen(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpDialog)
        text = screen_text(app)
        # What fits on the first page (the rest scrolls; every binding is in `rows`, checked below).
        for expected in ("Chart the next metric", "Date range menu", "Add a filter",
                         "Compare with the previous period", "Quit the app", "Step the date range"):
            assert expected in text
        descriptions = {row.description for row in app.screen.rows}
        from datafast_tui.screens.overview import OverviewScreen

        assert {b.tooltip for b in OverviewScreen.BINDINGS} <= descriptions
        assert {b.tooltip for b in app.BINDINGS if b.action != "quit"} <= descriptions
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpDialog)


async def test_refresh_bypasses_the_cache(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        before = app.store.requests_sent
        await pilot.press("r")
        await settle(pilot, app)
        assert app.store.requests_sent > before


async def test_screens_switch_and_quit(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for key, mode in (("2", "breakdowns"), ("3", "realtime"), ("4", "visitor"), ("1", "overview")):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.current_mode == mode
        await pilot.press("q")
    assert app.return_code == 0


async def test_filter_add_and_remove_round_trip(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        total = app.store.cache.peek(("overview", tuple(sorted(app.query.params().items())))).value.visitors
        await pilot.press("slash")
        assert isinstance(app.screen, FilterDialog)
        await pilot.press(*"coun", "enter")  # a unique prefix is completed
        await settle(pilot, app)
        await pilot.press(*"united k", "enter")  # completed to the value the demo has
        await settle(pilot, app)
        assert [f.describe() for f in app.query.filters] == ["country is United Kingdom"]
        assert "country is United Kingdom ×" in screen_text(app)
        filtered = (await app.store.overview(app.query)).value.visitors
        assert 0 < filtered < total
        chip = app.screen.query_one(FilterChip)
        chip.focus()
        await pilot.press("backspace")
        await settle(pilot, app)
        assert app.query.filters == ()
        assert "no filters" in screen_text(app)


async def test_filter_dialog_escape_and_errors(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *"colour", "enter")
        await pilot.pause()
        assert "unknown dimension 'colour'" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FilterDialog) and app.query.filters == ()
        await pilot.press("slash", *"visit_count", "enter", *"two", "enter")
        await pilot.pause()
        assert "not a whole number" in screen_text(app)
        await pilot.press("escape")


async def test_drill_down_from_a_top_table(make_app) -> None:
    from datafast_tui.widgets.top_table import TopTable

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        table = app.screen.query_one("#top-countries", TopTable)
        table.focus()
        expected = table.rows[1].label
        await pilot.press("down", "enter")
        await settle(pilot, app)
        assert [r.label for r in table.rows] == [expected]
        assert [f.describe() for f in app.query.filters] == [f"country is {expected}"]


async def test_periodic_refresh_is_wired_and_reloads(make_app) -> None:
    from datafast_tui.app import DataFastApp

    app = make_app("--refresh", "30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        # Textual objects carry attributes of their own: the timer must get our method.
        assert getattr(app._periodic_refresh, "__func__", None) is DataFastApp._periodic_refresh
        before = app.store.requests_sent
        app._periodic_refresh()
        await settle(pilot, app)
        assert app.store.requests_sent > before


async def test_filter_chips_fit_the_terminal_width(make_app) -> None:
    from datafast_tui.api.filters import Filter
    from tests.ui.conftest import SMALL

    app = make_app()
    long_path = "/docs/" + "very-long-section/" * 10 + "end"
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        app.add_filter(Filter("page", "is", (long_path,)))
        await settle(pilot, app)
        bar = screen_text(app).splitlines()[1]
        # One long chip at 80 columns: shortened in the middle, its × and the compare switch shown.
        assert "page is /d" in bar and "…" in bar and "end ×" in bar and "compare off" in bar, bar
        for dimension, value in (("country", "United Kingdom"), ("browser", "Firefox"), ("device", "mobile")):
            app.add_filter(Filter(dimension, "is", (value,)))
            await settle(pilot, app)
        lines = screen_text(app).splitlines()
        # Four do not fit beside the range: they get a line of their own, every × on screen.
        assert "compare off" in lines[1] and "×" not in lines[1], lines[1]
        assert lines[2].count("×") == 4 and "device" in lines[2] and "mobile ×" in lines[2], lines[2]
        await pilot.resize_terminal(*SIZE)
        await settle(pilot, app)
        assert screen_text(app).splitlines()[1].count("×") == 4  # wide again: back on one line
        assert len(app.screen.query(FilterChip)) == 4

