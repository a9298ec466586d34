"""LineText: shows plain text (never markup), wraps it, and repaints only the lines that change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Region

from datafast_tui.widgets.line_text import LineText


class Harness(App[None]):
    CSS = "LineText { width: 20; }"

    def compose(self) -> ComposeResult:
        yield LineText("[b]not markup[/b]")


def text(app: App) -> str:
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())  # noqa: SLF001


async def test_repaints_only_the_lines_that_changed_and_lays_out_when_their_number_does() -> None:
    app = Harness()
    async with app.run_test(size=(30, 8)) as pilot:
        widget = app.query_one(LineText)
        assert text(app).splitlines()[0] == "[b]not markup[/b]"
        widget.update(Content.assemble(("LIVE", "bold"), "  updated 10:00:01\nbudget\nkeys"))
        await pilot.pause()
        assert text(app).splitlines()[:4] == ["LIVE  updated", "10:00:01", "budget", "keys"]  # wrapped at 20
        assert widget.size.height == 4

        refreshed: list[tuple[Region, ...]] = []
        original = widget.refresh

        def spy(*regions: Region, **options: bool) -> LineText:
            refreshed.append(regions)
            return original(*regions, **options)

        widget.refresh = spy  # type: ignore[method-assign]
        widget.update(Content.assemble(("LIVE", "bold"), "  updated 10:00:06\nbudget\nkeys"))
        assert refreshed == [(Region(0, 1, 20, 1),)]  # "10:00:01" became "10:00:06": that line alone
        refreshed.clear()
        widget.update(Content.assemble(("LIVE", "bold"), "  updated 10:00:06\nbudget\nkeys"))
        assert refreshed == []  # the same text: nothing to paint
        widget.update(Content("one line"))
        assert refreshed == [()]  # fewer lines: a layout pass, the whole widget
        await pilot.pause()
        assert widget.size.height == 1 and text(app).splitlines()[0] == "one line"
