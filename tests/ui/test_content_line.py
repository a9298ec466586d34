"""`line_strip` paints a line exactly as Textual's `Visual.to_strips` does (segments, styles and
the offsets text selection reads), and leaves to Textual what it does not handle itself."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.visual import Visual

from datafast_tui.widgets.content_line import line_strip
from datafast_tui.widgets.line_text import LineText

LINES = [
    Content.from_markup("[b]DataFast[/b] says 51 of 60 left, [dim]resets in 50 s[/dim]"),
    Content(""),
    Content.styled("🇺🇸 Ann Arbor, US-MI    desktop · Chrome · Ma… /", "$text-muted"),
    Content.from_markup("[$accent]x[/] [reverse]y[/] 日本語テキスト"),
    Content("a line of exactly forty cells, no more!!"),
]


class Harness(App[None]):
    CSS = "#centred { text-align: center; } #right { content-align: right top; }"

    def compose(self) -> ComposeResult:
        yield LineText("", id="plain")
        yield LineText("", id="centred")
        yield LineText("", id="right")


def segments(strip) -> list:  # noqa: ANN001
    return [(text, style) for text, style, _ in strip]


@pytest.mark.parametrize("line", LINES, ids=range(len(LINES)))
async def test_a_line_that_fits_is_painted_as_textual_paints_it(line: Content) -> None:
    async with Harness().run_test(size=(80, 10)) as pilot:
        widget = pilot.app.query_one("#plain")
        style = widget.visual_style
        expected = Visual.to_strips(widget, line, 40, 1, style)[0]
        painted = line_strip(widget, line, 40, style)
        assert segments(painted) == segments(expected)
        assert painted.cell_length == expected.cell_length


async def test_the_offsets_name_the_line_painted() -> None:
    async with Harness().run_test(size=(80, 10)) as pilot:
        widget = pilot.app.query_one("#plain")
        strip = line_strip(widget, LINES[0], 60, widget.visual_style, y=3)
        assert [style.meta["offset"] for _, style, _ in strip] == [(0, 3), (8, 3), (29, 3)]


@pytest.mark.parametrize("widget_id, line, width", [
    ("plain", Content("too long for ten cells"), 10),  # wrapped or folded: Textual's job
    ("plain", Content("a\ttab"), 40),
    ("centred", Content("centred"), 40),
    ("right", Content("right"), 40),
])
async def test_what_it_does_not_handle_goes_through_textual(widget_id: str, line: Content, width: int) -> None:
    async with Harness().run_test(size=(80, 10)) as pilot:
        widget = pilot.app.query_one(f"#{widget_id}")
        style = widget.visual_style
        expected = Visual.to_strips(widget, line, width, 1, style)[0]
        assert segments(line_strip(widget, line, width, style)) == segments(expected)
