"""The chart's cursor: keys and the mouse pick a point; the first row says its date and values."""

from __future__ import annotations

from datafast_tui.widgets.chart import TimeChart
from tests.ui.conftest import SIZE, screen_text, settle


async def test_keys_move_the_cursor_and_the_readout_follows(make_app) -> None:
    app = make_app("--range", "last_7_days", "--compare")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        chart = app.screen.query_one(TimeChart)
        assert chart.cursor is None and "■ Visitors 1" not in screen_text(app)
        chart.focus()
        await pilot.pause()
        last = chart.points - 1
        assert chart.cursor == last  # focused: the newest point
        series, previous = chart.data.series[0], chart.data.series[-1]
        labels = chart.data.x_labels
        await pilot.press("left", "left")
        await pilot.pause()
        assert chart.cursor == last - 2
        line = screen_text(app).splitlines()
        readout = next(row for row in line if row.strip().startswith(labels[last - 2]))
        current, before = series.values[last - 2], previous.values[last - 2]
        assert f"Visitors {current:,.0f}" in readout and f"previous period {before:,.0f}" in readout
        assert ("▲" in readout) == (current > before) and "%" in readout
        await pilot.press("home")
        await pilot.pause()
        assert chart.cursor == 0
        await pilot.press("end", "right", "right")  # never past the last point
        await pilot.pause()
        assert chart.cursor == last and "(so far)" in screen_text(app)  # today is still under way
        await pilot.press("m")  # another metric: the cursor stays on its point
        await settle(pilot, app)
        assert chart.cursor == last and "Sessions" in screen_text(app)


async def test_the_mouse_points_at_a_day(make_app) -> None:
    app = make_app("--range", "last_7_days")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        chart = app.screen.query_one(TimeChart)
        await pilot.hover(TimeChart, offset=(chart.size.width - 2, 5))
        await pilot.pause()
        assert chart.cursor == chart.points - 1
        await pilot.hover(TimeChart, offset=(chart._plot_left, 5))  # noqa: SLF001 - the plot's first column
        await pilot.pause()
        assert chart.cursor == 0
        assert chart.data.x_labels[0] in screen_text(app)
