"""A small "top 5" list (pages, referrers, countries) whose rows drill down on Enter.

Drawn by hand rather than with a DataTable: five rows do not need one, and laying the
labels out at render time means they always fit the width the widget really has.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.binding import Binding
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from datafast_tui.api.filters import Filter
from datafast_tui.formatting import number, percent_change_text
from datafast_tui.messages import DrillDown
from datafast_tui.safe_text import clean, shorten_middle
from datafast_tui.widgets.copy_keys import COPY_BINDING, copy_out, row_text


@dataclass(frozen=True)
class TopRow:
    label: str  # the part of the row that matters (a path, a referrer, a country)
    visitors: int
    filter: Filter | None  # what Enter adds; None when the value cannot be sent as a filter
    #: With compare on: the previous period's visitors and the change (percent), None when not found there.
    previous: float | None = None
    change: float | None = None


#: Cells of the change column beside the visitors, with compare on ("  ▲ +12%").
CHANGE_WIDTH = 8


def change_cell(change: float | None, width: int = CHANGE_WIDTH) -> Content:
    """A row's change against the previous period, green up, red down; "–" when not known there."""
    if change is None:
        return Content.styled("–".rjust(width), "$text-muted")
    text = percent_change_text(change, digits=0, same="=")
    if text == "=":
        return Content(text.rjust(width))
    return Content.styled(text.rjust(width), "$text-success" if change > 0 else "$text-error")


class TopTable(Widget, can_focus=True):
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False, tooltip="Highlight the next row"),
        Binding("up,k", "move(-1)", "Up", show=False, tooltip="Highlight the previous row"),
        Binding("enter", "drill", "Filter by row", tooltip="Filter every screen by the highlighted row"),
        COPY_BINDING,
    ]

    DEFAULT_CSS = """
    TopTable { width: 1fr; height: 100%; margin-right: 1; background: $surface; }
    TopTable:last-of-type { margin-right: 0; }
    TopTable:focus { background: $boost; }
    """

    rows: reactive[tuple[TopRow, ...]] = reactive(tuple)
    message: reactive[str] = reactive("loading…")
    cursor: reactive[int] = reactive(0)

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title

    def show_rows(self, rows: list[TopRow]) -> None:
        self.rows = tuple(rows)
        self.message = "" if rows else "no data for this range"
        self.cursor = min(self.cursor, max(0, len(rows) - 1))

    def show_message(self, message: str) -> None:
        self.rows = ()
        self.message = clean(message)

    def render(self) -> Content:
        width = max(10, self.size.width)
        title = Content.assemble((self.title, "bold $text-accent"))
        compared = any(row.previous is not None for row in self.rows)
        change_width = CHANGE_WIDTH if compared and width >= 30 else 0
        heading = "Visitors" + ("Change".rjust(change_width) if change_width else "")
        header = Content.assemble(title, " " * max(1, width - title.cell_length - len(heading)),
                                  (heading, "$text-muted"))
        lines = [header]
        if self.message:
            lines.append(Content.styled(shorten_middle(self.message, width), "$text-muted"))
        label_width = width - 10 - change_width
        for index, row in enumerate(self.rows):
            label = shorten_middle(clean(row.label, placeholder="(none)"), label_width)
            count = number(row.visitors).rjust(9)
            padding = " " * max(0, label_width - cell_len(label))
            line = Content.assemble(label, padding, " ", count)
            if change_width:
                line = Content.assemble(line, change_cell(row.change, change_width))
            if index == self.cursor and self.has_focus:
                line = line.stylize("reverse")
            lines.append(line)
        return Content("\n").join(lines)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, step: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + step))

    def action_copy(self) -> None:
        if not 0 <= self.cursor < len(self.rows):
            copy_out(self, "", "")
            return
        row = self.rows[self.cursor]
        copy_out(self, row_text((row.label, number(row.visitors))), f"row {self.cursor + 1} of {self.title}")

    def action_drill(self) -> None:
        if 0 <= self.cursor < len(self.rows) and self.rows[self.cursor].filter is not None:
            self.post_message(DrillDown(self.rows[self.cursor].filter))  # type: ignore[arg-type]
