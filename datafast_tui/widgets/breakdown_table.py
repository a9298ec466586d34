"""A virtual table for big breakdowns: only the rows on screen are ever drawn.

Why not DataTable: it measures every cell of every row after each `add_rows`, about half a
second of CPU at 10,000 rows, and again after each sort. This widget asks its owner for the
text of the visible cells only (`cell(row, column)`), so sorting, searching and paging cost
the owner's list operations plus one screen of cells. Text columns share the width left by
the numbers and are shortened in the middle (paths and URLs keep both ends).

Cells are drawn as plain segments: API text is never parsed as markup here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from datafast_tui.safe_text import shorten_middle
from datafast_tui.widgets.copy_keys import COPY_BINDING, cell_text, copy_out, row_text

#: Cells a text column keeps however narrow the table gets; past that the text columns scroll.
MIN_TEXT_WIDTH = 10
#: The widest a text column gets when the text columns scroll sideways anyway.
MAX_SCROLLED_WIDTH = 24
#: Blank cells on each side of a cell.
PAD = 1
#: When the cursor comes this close to the last loaded row, the owner is asked for more.
NEAR_END = 40

CellText = Callable[[int, int], str]


@dataclass(frozen=True)
class _Paint:
    """What every line of one frame shares: styles, the view's width and the scroll offsets."""

    base: Style
    header: Style
    sorted: Style
    cursor: Style
    cursor_cell: Style
    placeholder: Style
    view: int
    scroll_x: int
    scroll_y: int


@dataclass(frozen=True)
class TableColumn:
    """A column as the widget sees it: a title, right-aligned or not, and its widest cell."""

    title: str
    numeric: bool
    natural: int  # cells of the widest value (the title is measured here)


def column_widths(columns: Sequence[TableColumn], available: int, *, arrow: int = 2) -> list[int]:
    """Widths for `available` cells: numbers keep their natural width, text columns share the rest.

    A short column keeps all it needs; the long ones share the rest in proportion to their
    length, never below MIN_TEXT_WIDTH or the column's title. When even that does not fit (the eight
    campaign parts in 80 cells), text columns keep a readable width, at most
    MAX_SCROLLED_WIDTH (the first one more), and scroll sideways beside the numbers. `arrow` keeps room for a sort
    indicator in every header, so columns do not jump when the sort moves.
    """
    wanted = [max(c.natural, cell_len(c.title) + arrow) for c in columns]
    text = sorted((i for i, c in enumerate(columns) if not c.numeric), key=lambda i: wanted[i])
    room = available - sum(w for i, w in enumerate(wanted) if columns[i].numeric) - 2 * PAD * len(columns)
    if sum(wanted[i] for i in text) <= room:
        return wanted
    floor = {i: min(wanted[i], max(MIN_TEXT_WIDTH, cell_len(columns[i].title) + arrow)) for i in text}
    widths = list(wanted)
    if sum(floor.values()) > room:
        for i in text:
            widths[i] = min(wanted[i], MAX_SCROLLED_WIDTH)
        # The first text column leads (a campaign's summary): it may take two thirds of the room,
        # and never more than the view beside the numbers (a column that does not fit whole
        # is not drawn at all: at 80 columns with five numbers, that was the summary).
        lead = min(text)
        numbers = sum(wanted[i] + 2 * PAD for i, c in enumerate(columns) if c.numeric)
        fits = max(MIN_TEXT_WIDTH, available - numbers - 2 * PAD)
        widths[lead] = min(wanted[lead], max(min(MAX_SCROLLED_WIDTH, fits), room * 2 // 3))
        return widths
    while text and wanted[text[0]] <= room // len(text):  # short ones keep all they need
        room -= wanted[text.pop(0)]
    # The long ones share the rest in proportion to their length (a path gets more than its
    # hostname), none below its floor.
    while text:
        demand = sum(wanted[i] for i in text)
        shares = {i: room * wanted[i] // demand for i in text}
        short = [i for i in text if shares[i] < floor[i]]
        if not short:
            extra = room - sum(shares.values())
            for position, index in enumerate(reversed(text)):  # the longest get the leftover cells
                widths[index] = shares[index] + (1 if position < extra else 0)
            break
        for index in short:
            widths[index] = floor[index]
            room -= floor[index]
            text.remove(index)
    return widths


class BreakdownTable(ScrollView, can_focus=True):
    """Rows and columns drawn on demand, with a row cursor and a column cursor.

    Messages: `Highlighted` (cursor moved), `Selected` (Enter or a double click),
    `HeaderClicked` (sort by that column), `NearEnd` (the cursor nears the last row).
    """

    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False, tooltip="Next row"),
        Binding("up,k", "move(-1)", "Up", show=False, tooltip="Previous row"),
        Binding("pagedown", "page(1)", "Page down", show=False, tooltip="One screen of rows down"),
        Binding("pageup", "page(-1)", "Page up", show=False, tooltip="One screen of rows up"),
        Binding("home,g", "first", "Top", show=False, tooltip="First row"),
        Binding("end,G", "last", "Bottom", show=False, tooltip="Last loaded row"),
        Binding("left", "column(-1)", "Column left", show=False,
                tooltip="Previous column (Enter filters by the part under it)"),
        Binding("right", "column(1)", "Column right", show=False,
                tooltip="Next column (Enter filters by the part under it)"),
        Binding("ctrl+pageup", "page_left", "Page left", show=False, tooltip="Scroll the columns left"),
        Binding("ctrl+pagedown", "page_right", "Page right", show=False, tooltip="Scroll the columns right"),
        Binding("enter", "select", "Drill down", tooltip="Filter every screen by the highlighted row"),
        COPY_BINDING,
    ]

    COMPONENT_CLASSES = {
        "breakdown-table--header",
        "breakdown-table--sorted",
        "breakdown-table--cursor",
        "breakdown-table--cursor-cell",
        "breakdown-table--placeholder",
    }

    DEFAULT_CSS = """
    BreakdownTable { height: 1fr; background: $surface; scrollbar-size-vertical: 1; scrollbar-gutter: stable; }
    BreakdownTable > .breakdown-table--header { color: $text-accent; text-style: bold; background: $panel; }
    BreakdownTable > .breakdown-table--sorted { color: $text-warning; text-style: bold; background: $panel; }
    BreakdownTable > .breakdown-table--cursor { background: $boost; }
    BreakdownTable:focus > .breakdown-table--cursor { background: $primary-muted; }
    BreakdownTable:focus > .breakdown-table--cursor-cell { background: $primary; color: $text; }
    BreakdownTable > .breakdown-table--cursor-cell { background: $boost; }
    BreakdownTable > .breakdown-table--placeholder { color: $text-muted; }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True)
    #: The highlighted column, or -1 before the user picks one (the whole row is highlighted).
    cursor_column: reactive[int] = reactive(-1)

    class Highlighted(Message):
        """The cursor moved (its row, or its column)."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    class Selected(Message):
        def __init__(self, row: int, column: int) -> None:
            super().__init__()
            self.row = row
            self.column = column

    class HeaderClicked(Message):
        def __init__(self, column: int) -> None:
            super().__init__()
            self.column = column

    class NearEnd(Message):
        """The cursor is within NEAR_END rows of the last row: time to load the next page."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: tuple[TableColumn, ...] = ()
        self.row_count = 0
        self.placeholder = "loading…"
        self._cell: CellText = lambda row, column: ""
        self._widths: list[int] = []
        self._frozen = 0  # columns from this index on do not scroll sideways
        self._frozen_width = 0
        self._edges: list[int] = [0]  # where each scrolling column starts (and the last one ends)
        self._sort: tuple[int, bool] | None = None
        self._paint: _Paint | None = None  # while the lines of a frame are drawn

    # -- what to show ---------------------------------------------------------------------

    def set_columns(self, columns: Sequence[TableColumn], sort: tuple[int, bool] | None) -> None:
        """New columns (or new natural widths), and the sorted column with its direction."""
        self.columns = tuple(columns)
        self._sort = sort
        self.cursor_column = min(self.cursor_column, len(self.columns) - 1)
        self._layout()

    def set_rows(self, row_count: int, cell: CellText, *, cursor: int | None = None,
                 placeholder: str = "") -> None:
        """Show `row_count` rows whose cell texts come from `cell`; keep the cursor (clamped) or move it."""
        self.row_count = row_count
        self._cell = cell
        self.placeholder = placeholder
        target = self.cursor_row if cursor is None else cursor
        self._layout()
        self.cursor_row = max(0, min(target, row_count - 1))
        self.refresh()

    def _layout(self) -> None:
        available = self.scrollable_content_region.width or self.size.width
        self._widths = column_widths(self.columns, available)
        cells = [w + 2 * PAD for w in self._widths]
        # The numbers at the right end stay put; only the text columns before them scroll sideways.
        frozen = len(self.columns)
        while frozen > 0 and self.columns[frozen - 1].numeric:
            frozen -= 1
        self._frozen = frozen if sum(cells[frozen:]) < available - MIN_TEXT_WIDTH else len(self.columns)
        self._frozen_width = sum(cells[self._frozen:])
        self._edges = [sum(cells[:i]) for i in range(self._frozen + 1)]
        self.virtual_size = Size(sum(cells), self.row_count + 1)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._layout()
        self._scroll_to_cursor()

    # -- drawing --------------------------------------------------------------------------
    #
    # Only the lines in view are drawn: Textual asks `render_line` for each of them (the Line
    # API of ScrollView), and each line asks the owner for its few cells. What the lines share
    # (styles, scroll offsets, the view's width) is read once per frame, in `render_lines`:
    # reading a style walks the DOM, and doing it per cell cost more than the cells.

    def render_lines(self, crop: Region) -> list[Strip]:
        self._paint = self._paint_now()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def _paint_now(self) -> _Paint:
        style = self.get_component_rich_style
        return _Paint(
            base=self.rich_style,
            header=style("breakdown-table--header"),
            sorted=style("breakdown-table--sorted"),
            cursor=style("breakdown-table--cursor"),
            cursor_cell=style("breakdown-table--cursor-cell"),
            placeholder=style("breakdown-table--placeholder"),
            view=self.scrollable_content_region.width,
            scroll_x=int(self.scroll_x),
            scroll_y=int(self.scroll_y),
        )

    def _cells(self, paint: _Paint, texts: Sequence[str], styles: Sequence[Style], meta: Sequence[dict]) -> Strip:
        """One line: the scrolling text part cropped at `scroll_x`, then the frozen numbers."""
        segments = []
        pad = " " * PAD
        for index, (text, width, column) in enumerate(zip(texts, self._widths, self.columns)):
            if not column.numeric:
                text = shorten_middle(text, width)
            gap = " " * max(0, width - cell_len(text))
            body = gap + text if column.numeric else text + gap
            segments.append(Segment(f"{pad}{body}{pad}", styles[index] + Style.from_meta(meta[index])))
        view, scroll_x = paint.view, paint.scroll_x
        left = Strip(segments[:self._frozen])
        # The text part fills what the numbers leave, no more: numbers follow the text when it is short.
        left_view = min(max(0, view - self._frozen_width), left.cell_length)
        # A text column cut by the numbers is left out whole rather than shown in part.
        end = scroll_x + left_view
        if self._frozen < len(self.columns) and end < left.cell_length:
            end = max((e for e in self._edges if e <= end), default=end)
        left = left.crop(scroll_x, max(scroll_x, end)).extend_cell_length(left_view, paint.base)
        return Strip.join([left, Strip(segments[self._frozen:])]).crop_extend(0, view, paint.base)

    def _header(self, paint: _Paint) -> Strip:
        texts, styles = [], []
        for index, column in enumerate(self.columns):
            title = column.title
            style = paint.header
            if self._sort is not None and self._sort[0] == index:
                title = f"{title} {'▼' if self._sort[1] else '▲'}"
                style = paint.sorted
            texts.append(title)
            styles.append(style)
        return self._cells(paint, texts, styles, [{"header": i} for i in range(len(self.columns))])

    def _row(self, paint: _Paint, index: int) -> Strip:
        count = len(self.columns)
        styles = [paint.base] * count
        if index == self.cursor_row:
            styles = [paint.cursor] * count
            if 0 <= self.cursor_column < count:
                styles[self.cursor_column] = paint.cursor_cell
        texts = [self._cell(index, column) for column in range(count)]
        return self._cells(paint, texts, styles, [{"row": index, "column": c} for c in range(count)])

    def render_line(self, y: int) -> Strip:
        paint = self._paint or self._paint_now()  # (called alone, outside a frame: read them now)
        width = paint.view
        if y == 0:
            return self._header(paint)
        if self.row_count == 0 and y == 1:
            return Strip([Segment(f" {self.placeholder}", paint.placeholder)]).crop_extend(0, width, paint.base)
        index = paint.scroll_y + y - 1
        if index >= self.row_count:
            return Strip.blank(width, paint.base)
        return self._row(paint, index)

    # -- cursor ---------------------------------------------------------------------------

    @property
    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor_row(self, row: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        if self.row_count:
            self.post_message(self.Highlighted(row))
            if row >= self.row_count - NEAR_END:
                self.post_message(self.NearEnd())

    def watch_cursor_column(self, column: int) -> None:
        self.refresh()
        if self.row_count:
            self.post_message(self.Highlighted(self.cursor_row))  # what Enter would do has changed
        if not 0 <= column < self._frozen:
            return  # no column picked, or a frozen one: always in view
        start = sum(self._widths[:column]) + 2 * PAD * column
        end = start + self._widths[column] + 2 * PAD
        view = self.scrollable_content_region.width - self._frozen_width
        if start < self.scroll_x:
            self.scroll_to(x=start, animate=False)
        elif end > self.scroll_x + view:
            self.scroll_to(x=end - view, animate=False)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        # Scrolling with the mouse wheel to the bottom loads more, like moving the cursor there.
        if self.row_count and new + self._page_rows >= self.row_count - NEAR_END and new > old:
            self.post_message(self.NearEnd())

    def _scroll_to_cursor(self) -> None:
        top = int(self.scroll_y)
        visible = self._page_rows
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def action_move(self, step: int) -> None:
        if self.row_count:
            self.cursor_row = max(0, min(self.row_count - 1, self.cursor_row + step))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * self._page_rows)

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = max(0, self.row_count - 1)

    def action_column(self, step: int) -> None:
        if not self.columns:
            return
        if self.cursor_column < 0:  # the first press picks the first (or last) column
            self.cursor_column = 0 if step > 0 else len(self.columns) - 1
        else:
            self.cursor_column = max(0, min(len(self.columns) - 1, self.cursor_column + step))

    def action_copy(self) -> None:
        """The highlighted cell when a column is picked (left / right), else the whole row."""
        if self.row_count == 0:
            copy_out(self, "", "")
            return
        row = self.cursor_row
        if 0 <= self.cursor_column < len(self.columns):
            title = self.columns[self.cursor_column].title
            copy_out(self, cell_text(self._cell(row, self.cursor_column)), f"{title} of row {row + 1}")
        else:
            copy_out(self, row_text(self._cell(row, c) for c in range(len(self.columns))), f"row {row + 1}")

    def action_select(self) -> None:
        if self.row_count:
            self.post_message(self.Selected(self.cursor_row, self.cursor_column))

    def on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "header" in meta:
            self.post_message(self.HeaderClicked(meta["header"]))
        elif "row" in meta:
            self.cursor_row, self.cursor_column = meta["row"], meta["column"]
            if event.chain > 1:  # a double click drills down, like Enter
                self.action_select()
