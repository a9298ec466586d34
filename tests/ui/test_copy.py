"""`y` copies the highlighted row (or cell) of every table, says what it copied, and copies clean text."""

from __future__ import annotations

import re

from datafast_tui.screens.breakdowns import BreakdownsScreen
from datafast_tui.widgets.breakdown_table import BreakdownTable
from datafast_tui.widgets.feed import LiveList
from datafast_tui.widgets.list_table import ListTable
from datafast_tui.widgets.top_table import TopTable
from tests.ui.conftest import SIZE, settle

CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")  # tabs separate cells; nothing else


def toasts(app) -> list[str]:  # noqa: ANN001
    return [n.message for n in app._notifications]  # noqa: SLF001


async def copy_from(pilot, app, widget) -> str:  # noqa: ANN001
    app.clear_notifications()
    widget.focus()
    await pilot.pause()
    await pilot.press("y")
    await pilot.pause()
    return app.clipboard


async def test_every_table_copies_its_highlighted_row(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        top = app.screen.query_one("#top-pages", TopTable)
        text = await copy_from(pilot, app, top)
        path, visitors = text.split("\t")
        assert path == top.rows[0].label and visitors.replace(",", "").isdigit()
        assert toasts(app) == [f"Copied row 1 of {top.title}: {path}  ·  {visitors}"]

        await pilot.press("2")
        await settle(pilot, app)
        assert isinstance(app.screen, BreakdownsScreen)
        table = app.screen.query_one(BreakdownTable)
        await pilot.press("j")
        row = await copy_from(pilot, app, table)
        cells = row.split("\t")
        assert len(cells) == len(table.columns) and cells[1].startswith("/")  # hostname, path, numbers
        assert toasts(app)[0].startswith("Copied row 2: ")
        await pilot.press("right")  # a column picked: the cell under the cursor
        cell = await copy_from(pilot, app, table)
        title = table.columns[table.cursor_column].title
        assert cell == cells[table.cursor_column] and toasts(app)[0].startswith(f"Copied {title} of row 2: ")

        await pilot.press("3")
        await settle(pilot, app)
        feed = app.screen.query(LiveList).first()
        line = await copy_from(pilot, app, feed)
        assert line and "\t" in line and toasts(app)[0].startswith("Copied row 1: ")

        await pilot.press("5")
        await settle(pilot, app)
        people = app.screen.query_one(ListTable)
        person = await copy_from(pilot, app, people)
        assert person.count("\t") == len(people.columns) - 1 and toasts(app)[0].startswith("Copied row 1: ")


async def test_copied_text_from_hostile_rows_has_no_control_characters(make_app) -> None:
    app = make_app("--hostile", "--screen", "breakdowns")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        table = app.screen.query_one(BreakdownTable)
        for _ in range(12):
            text = await copy_from(pilot, app, table)
            assert CONTROL.findall(text) == [], repr(text)
            await pilot.press("j")
