"""LiveList on its own: the cursor survives updates, new rows glow then fade, Enter opens, narrow widths."""

from __future__ import annotations

from textual.app import App, ComposeResult

from datafast_tui.widgets.feed import FRESH_MIN_SECONDS, Column, LiveList, Row
from datafast_tui.widgets.live_count import LiveCount

COLUMNS = [Column("Name", 10, flex=True), Column("Count", 6, right=True), Column("Extra", 20, priority=1)]


def rows(*keys: str) -> list[Row]:
    return [Row(k, (f"name {k}", str(len(k)), "extra"), data=None if k.startswith("x") else k) for k in keys]


class Harness(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[str] = []
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield LiveList(COLUMNS, empty="nothing here", id="list")
        yield LiveCount()

    def on_live_list_chosen(self, message: LiveList.Chosen) -> None:
        self.chosen.append(message.row.key)

    def bell(self) -> None:
        self.bells += 1


def text(app: App) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())  # noqa: SLF001


async def test_cursor_stays_on_its_row_when_new_rows_arrive_above() -> None:
    app = Harness()
    async with app.run_test(size=(60, 12)) as pilot:
        widget = app.query_one(LiveList)
        assert "nothing here" in text(app)
        widget.set_rows(rows("c", "b", "a"))
        widget.focus()
        await pilot.press("down")
        assert widget.current.key == "b"
        widget.set_rows(rows("e", "d", "c", "b", "a"), fresh={"e", "d"})
        assert widget.current.key == "b" and widget.fresh_keys == {"e", "d"}
        widget.set_rows(rows("e", "d", "c", "a"))  # b left: the cursor keeps its place
        assert widget.current.key == "a"
        await pilot.press("g")
        widget.set_rows(rows("f", "e", "d"))  # at the top, the cursor follows the newest row
        assert widget.current.key == "f"
        await pilot.press("G")
        assert widget.current.key == "d"


async def test_new_rows_fade_and_enter_opens_only_rows_with_something_to_open() -> None:
    app = Harness()
    async with app.run_test(size=(60, 12)) as pilot:
        widget = app.query_one(LiveList)
        widget.set_rows(rows("a", "xgap"), fresh={"a"})
        widget._unhighlight()  # what the fade timer does  # noqa: SLF001
        assert widget.fresh_keys == frozenset()
        widget.focus()
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert app.chosen == ["a"] and app.bells == 1


async def test_a_highlight_ends_with_the_next_update_after_a_while_not_in_a_frame_of_its_own() -> None:
    app = Harness()
    async with app.run_test(size=(60, 12)) as pilot:
        widget = app.query_one(LiveList)
        widget.set_rows(rows("b", "a"), fresh={"b"})
        widget.set_rows(rows("b", "a"))  # an update right away: the new row still glows
        assert widget.fresh_keys == {"b"}
        widget._fresh_since -= FRESH_MIN_SECONDS  # as if the poll came a few seconds later  # noqa: SLF001
        widget.set_rows(rows("b", "a"))  # the same rows: the glow ends with this update
        await pilot.pause()
        assert widget.fresh_keys == frozenset() and widget._fade is None  # noqa: SLF001
        widget.set_rows(rows("c", "b", "a"), fresh={"c"})
        widget._fresh_since -= FRESH_MIN_SECONDS  # noqa: SLF001
        widget.set_rows(rows("d", "c", "b", "a"), fresh={"d"})  # news ends the old glow, starts its own
        assert widget.fresh_keys == {"d"}


async def test_long_lists_scroll_with_the_cursor_and_narrow_widths_drop_optional_columns() -> None:
    app = Harness()
    async with app.run_test(size=(30, 8)) as pilot:
        widget = app.query_one(LiveList)
        widget.set_rows(rows(*(f"k{i:02d}" for i in range(40))))
        widget.focus()
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert widget.top > 0 and widget.top <= widget.cursor < widget.top + widget.size.height - 1
        shown = text(app)
        assert f"name {widget.current.key}" in shown and "Extra" not in shown and "Count" in shown


async def test_live_count_shows_the_number_and_a_sparkline() -> None:
    app = Harness()
    async with app.run_test(size=(60, 12)) as pilot:
        count = app.query_one(LiveCount)
        count.show(1234, [1, 5, 3], "since 10:00")
        await pilot.pause()
        assert count.shown == "1,234" and "since 10:00" in text(app)
        assert "▃██" in text(app) and "█▂" in text(app)  # zero-based bars, newest at the right
        count.show(None, [], "no data yet", stale=True)
        assert count.shown == "-" and count.has_class("stale")


async def test_an_update_repaints_only_the_lines_that_changed() -> None:
    # A Realtime screen left open polls every few seconds: most polls change a line or none.
    app = Harness()
    async with app.run_test(size=(60, 12)) as pilot:
        widget = app.query_one(LiveList)
        widget.set_rows(rows("c", "b", "a"))
        await pilot.pause()
        before = text(app)
        repainted: list[object] = []
        original = widget.refresh

        def spy(*regions, **kwargs):
            repainted.append(regions)
            return original(*regions, **kwargs)

        widget.refresh = spy  # type: ignore[method-assign]
        widget.set_rows(rows("c", "b", "a"))  # equal rows (new objects): nothing to paint
        assert repainted == []
        changed = [*rows("c"), Row("b", ("name b2", "1", "extra")), *rows("a")]
        widget.set_rows(changed)
        assert [tuple(region.y for region in regions) for regions in repainted] == [(2,)]  # line 0: the header
        await pilot.pause()
        assert "name b2" in text(app) and text(app) != before
        repainted.clear()
        # Content compares by its text alone: a change of style only must still be painted.
        from textual.content import Content

        widget.set_rows([*rows("c"), Row("b", (Content.styled("name b2", "bold"), "1", "extra")), *rows("a")])
        assert [tuple(region.y for region in regions) for regions in repainted] == [(2,)]


async def test_focus_repaints_the_cursor_line_in_the_new_colours() -> None:
    app = Harness()
    async with app.run_test(size=(60, 12)) as pilot:
        widget = app.query_one(LiveList)
        widget.set_rows(rows("c", "b", "a"))
        widget.focus()
        await pilot.pause()
        focused = app.screen._compositor.render_strips()  # noqa: SLF001
        widget.blur()
        await pilot.pause()
        blurred = app.screen._compositor.render_strips()  # noqa: SLF001
        assert widget.has_focus is False and blurred[1] != focused[1]  # the cursor row is reversed only with focus
        widget.focus()
        await pilot.pause()
        assert app.screen._compositor.render_strips()[1] == focused[1]  # noqa: SLF001
