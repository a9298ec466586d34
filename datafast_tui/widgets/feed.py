"""`LiveList`: a keyboard list for data that changes under the reader (live visitors, feeds).

Drawn by hand rather than with a DataTable: a poll replaces the rows every few seconds, and
a DataTable re-measures every cell on each reload, while this widget only lays out the rows
that fit on screen. It keeps the cursor on the same row (by key) when rows come and go,
highlights new rows for a moment, hides low-priority columns when narrow, and posts
`LiveList.Chosen` on Enter.

It paints line by line (Textual's line API) and remembers what each line showed: a poll that
changes one row repaints that line only, and one that changes nothing repaints nothing. On a
Realtime screen left open for hours, that is most of what an update costs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from datafast_tui.safe_text import clean, shorten_middle
from datafast_tui.widgets.content_line import line_strip
from datafast_tui.widgets.copy_keys import COPY_BINDING, cell_text, copy_out, row_text
from datafast_tui.widgets.kept_lines import KeptLines

#: Seconds a new row stays highlighted: until the first update after FRESH_MIN_SECONDS, else
#: until FRESH_MAX_SECONDS. Ending it with an update paints both in one frame: at Realtime's
#: default 5 s interval, a fade of its own was a second frame after every poll with news.
FRESH_MIN_SECONDS = 3.0
FRESH_MAX_SECONDS = 6.0
_GAP = 1  # cells between columns


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # cells; for a flexible column, its minimum
    flex: bool = False  # takes a share of the room left over
    right: bool = False  # right-aligned (numbers)
    middle: bool = False  # shorten in the middle (paths, URLs) rather than at the end
    priority: int = 0  # when the width is short, the highest numbers are hidden first


Cell = str | Content


@dataclass(frozen=True)
class Row:
    """One line. `note` makes it a full-width line (a gap marker) instead of cells."""

    key: str
    cells: tuple[Cell, ...] = ()
    data: Any = None  # what Enter hands on (e.g. a visitor id); None: nothing to open
    note: Content | None = None


def row_look(row: Row) -> tuple[object, ...]:
    """What a row shows, styles included (Content compares by its text alone)."""
    cells = tuple(c if isinstance(c, str) else (c.plain, tuple(c.spans)) for c in row.cells)
    note = (row.note.plain, tuple(row.note.spans)) if row.note is not None else None
    return (row.key, cells, note)


def layout(columns: Sequence[Column], width: int) -> list[tuple[int, int]]:
    """(column index, width) of the columns that fit in `width`, flexible ones stretched."""
    shown = list(range(len(columns)))

    def needed(indexes: list[int]) -> int:
        return sum(columns[i].width for i in indexes) + _GAP * max(0, len(indexes) - 1)

    while len(shown) > 1 and needed(shown) > width:
        worst = max(shown, key=lambda i: (columns[i].priority, i))
        if columns[worst].priority == 0 and all(columns[i].priority == 0 for i in shown):
            break  # nothing is optional: let the last column be cut instead
        shown.remove(worst)
    spare = max(0, width - needed(shown))
    flexible = [i for i in shown if columns[i].flex] or shown[-1:]
    share, extra = divmod(spare, len(flexible)) if flexible else (0, 0)
    widths = []
    for i in shown:
        w = columns[i].width
        if i in flexible:
            w += share + (extra if i == flexible[0] else 0)
        widths.append((i, w))
    return widths


def fit(cell: Cell, width: int, column: Column) -> Content:
    """A cell cut (at the end, or in the middle for paths) and padded to exactly `width` cells."""
    if isinstance(cell, str):
        text = clean(cell)
        content = Content(shorten_middle(text, width) if column.middle else text)
    else:
        content = cell
    if content.cell_length > width:
        content = content.truncate(width, ellipsis=True)
    pad = width - content.cell_length
    return content.pad_left(pad) if column.right else content.pad_right(pad)


class LiveList(KeptLines, Widget, can_focus=True):
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False, tooltip="Next row"),
        Binding("up,k", "move(-1)", "Up", show=False, tooltip="Previous row"),
        Binding("pagedown", "page(1)", "Page down", show=False, tooltip="One page down"),
        Binding("pageup", "page(-1)", "Page up", show=False, tooltip="One page up"),
        Binding("home,g", "edge(-1)", "Top", show=False, tooltip="First row (the newest)"),
        Binding("end,G", "edge(1)", "Bottom", show=False, tooltip="Last row (the oldest)"),
        Binding("enter", "choose", "Open visitor", tooltip="Open the highlighted row's visitor in the Visitor screen"),
        COPY_BINDING,
    ]

    DEFAULT_CSS = """
    LiveList { height: 1fr; background: $surface; }
    LiveList:focus { background: $boost; }
    """

    class Chosen(Message):
        """Enter on a row that has something to open."""

        def __init__(self, live_list: LiveList, row: Row) -> None:
            super().__init__()
            self.live_list = live_list
            self.row = row

        @property
        def control(self) -> LiveList:
            return self.live_list

    def __init__(self, columns: Sequence[Column], *, empty: str = "nothing yet", id: str | None = None,
                 on_choose: Callable[[Row], object] | None = None) -> None:
        super().__init__(id=id)
        #: Called at once on Enter, instead of posting Chosen: a message would be handled after
        #: the keys typed behind the Enter (`⏎ 1` would end on the screen Enter opened).
        self.on_choose = on_choose
        self.columns = tuple(columns)
        self.empty = empty
        self.rows: tuple[Row, ...] = ()
        self.cursor = 0
        self.top = 0
        self.sort_column: int | None = None
        self.sort_reverse = False
        self._fresh: set[str] = set()
        self._fresh_since = 0.0  # time.monotonic() when the rows in _fresh arrived
        self._frame_size: Size | None = None  # see `_cells`
        self._fade: Timer | None = None
        #: Per line on screen: what it shows (see `_line_key`), to repaint only the lines that change.
        self._painted: dict[int, tuple[object, ...]] = {}
        #: Painted lines by what they show, wherever they are: when a new row arrives on top, the
        #: others move down a line and are painted from here instead of being laid out again.
        self._strips: dict[tuple[object, ...], Strip] = {}

    # -- data -----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Row], *, fresh: Collection[str] = ()) -> None:
        """Replace the rows. The cursor stays on its row unless it was on the first (newest) one."""
        rows = tuple(rows)
        if self._fresh and time.monotonic() - self._fresh_since >= FRESH_MIN_SECONDS:
            self._end_highlight()  # painted with this update, not in a frame of its own
        if not fresh and len(rows) == len(self.rows) and all(
                new is old or (new == old and row_look(new) == row_look(old)) for new, old in zip(rows, self.rows)):
            self._repaint()  # the same rows: only the header's sort arrow may have changed
            return
        current = self.rows[self.cursor].key if self.rows and self.cursor > 0 else None
        self.rows = rows
        keys = [r.key for r in self.rows]
        self.cursor = keys.index(current) if current in keys else min(self.cursor if current else 0,
                                                                      max(0, len(keys) - 1))
        if fresh:
            self._end_highlight()
            self._fresh, self._fresh_since = set(fresh), time.monotonic()
            self._fade = self.set_timer(FRESH_MAX_SECONDS, self._unhighlight)
        self._follow_cursor()
        self._repaint()

    def set_columns(self, columns: Sequence[Column]) -> None:
        if tuple(columns) != self.columns:
            self.columns = tuple(columns)
            self._repaint()

    def set_empty(self, text: str) -> None:
        if text != self.empty:
            self.empty = text
            self._repaint()

    def _end_highlight(self) -> None:
        self._fresh = set()
        if self._fade is not None:
            self._fade.stop()
            self._fade = None

    def _unhighlight(self) -> None:
        """The fade timer: no update came to end the highlight with."""
        self._fade = None
        self._end_highlight()
        self._repaint()

    @property
    def fresh_keys(self) -> frozenset[str]:
        """Keys of the rows highlighted as new right now."""
        return frozenset(self._fresh)

    def action_copy(self) -> None:
        row = self.current
        if row is None:
            copy_out(self, "", "")
            return
        text = cell_text(row.note) if row.note is not None else row_text(row.cells)
        copy_out(self, text, f"row {self.cursor + 1}")

    @property
    def current(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    # -- drawing --------------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self._cells.height - 1)  # the first line is the column header

    def _follow_cursor(self) -> None:
        page = self._page
        if self.cursor < self.top:
            self.top = self.cursor
        elif self.cursor >= self.top + page:
            self.top = self.cursor - page + 1
        self.top = max(0, min(self.top, max(0, len(self.rows) - page)))

    def _row_at(self, y: int) -> int | None:
        """The index of the row on line `y` (line 0 is the column header), if any."""
        index = self.top + y - 1
        return index if 1 <= y <= self._page and index < len(self.rows) else None

    def _line_key(self, y: int) -> tuple[object, ...]:
        """All that line `y` shows, wherever it is: equal keys, equal lines."""
        width = self._cells.width
        if y == 0:
            return ("header", width, self.columns, self.sort_column, self.sort_reverse)
        index = self._row_at(y)
        if index is not None:
            row = self.rows[index]
            return ("row", width, self.columns, row_look(row), index == self.cursor and self.has_focus,
                    row.key in self._fresh)
        if y == 1 and not self.rows:
            return ("empty", width, self.empty)
        return ("blank", width)

    def _line_content(self, y: int) -> Content | None:
        """What line `y` shows, cut to the width (None: a blank line)."""
        width = max(1, self._cells.width - 2)
        placed = layout(self.columns, width)
        index = self._row_at(y)
        if y == 0:
            line = self._header(placed)
        elif index is not None:
            line = self._line(self.rows[index], index, placed, width)
        elif y == 1 and not self.rows:
            line = Content.styled(shorten_middle(self.empty, width), "$text-muted")
        else:
            return None
        # Cut every line to the width: a line that wrapped would push the rows below out of place.
        return line.truncate(width).pad_left(1)

    def render_line(self, y: int) -> Strip:
        key = self._line_key(y)
        self._painted[y] = key
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 4 * max(8, self._cells.height):
                self._strips.clear()  # lines that scrolled away or changed long ago
            content = self._line_content(y)
            width, style = self._cells.width, self.visual_style
            # Painted as line 0: the strip is kept by content, whatever line it shows on later.
            strip = self._strips[key] = (line_strip(self, content, width, style) if content is not None
                                         else Strip.blank(width, style.rich_style))
        return strip

    def _repaint(self) -> None:
        """Repaint the lines whose content changed since they were painted (none: nothing to do)."""
        if not self.is_mounted or not self._painted:
            self.refresh()  # nothing painted yet: a plain first paint
            return
        self._frame_size = size = self.size
        try:
            for y in range(size.height):
                if self._painted.get(y) != self._line_key(y):
                    self.refresh(Region(0, y, size.width, 1))
        finally:
            self._frame_size = None

    @property
    def _cells(self) -> Size:
        """The widget's size, read once per paint (`Widget.size` looks the widget up from the
        screen down: per line, that was a third of what a Realtime poll's list updates cost)."""
        return self._frame_size or self.size

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_size = self.size
        try:
            return super().render_lines(crop)
        finally:
            self._frame_size = None

    def notify_style_update(self) -> None:
        # Colours come from the styles (focus, theme): lines painted with the old ones are stale.
        self._painted.clear()
        self._strips.clear()
        super().notify_style_update()

    def render(self) -> Content:
        """The whole list as one text (painting goes line by line, see `render_line`)."""
        lines = [self._line_content(y) for y in range(max(1, self.size.height))]
        return Content("\n").join(line for line in lines if line is not None)

    def _header(self, placed: list[tuple[int, int]]) -> Content:
        parts: list[Content] = []
        for i, w in placed:
            column = self.columns[i]
            title = column.title
            style = "$text-muted"
            if i == self.sort_column:
                title += " ▲" if self.sort_reverse else " ▼"
                style = "bold $text-accent"
            parts.append(fit(Content.styled(title, style), w, column))
        return Content(" " * _GAP).join(parts)

    def _line(self, row: Row, index: int, placed: list[tuple[int, int]], width: int) -> Content:
        if row.note is not None:
            line = fit(row.note, width, Column("", width))
        else:
            cells = [fit(row.cells[i] if i < len(row.cells) else "", w, self.columns[i]) for i, w in placed]
            line = Content(" " * _GAP).join(cells)
        if index == self.cursor and self.has_focus:
            return line.stylize("reverse")
        if row.key in self._fresh:
            return line.stylize_before("on $success-muted")
        return line

    # -- keys and mouse -------------------------------------------------------------------

    def _go(self, index: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, index))
            self._follow_cursor()
            self._repaint()

    def action_move(self, step: int) -> None:
        self._go(self.cursor + step)

    def action_page(self, step: int) -> None:
        self._go(self.cursor + step * self._page)

    def action_edge(self, where: int) -> None:
        self._go(0 if where < 0 else len(self.rows) - 1)

    def action_choose(self) -> None:
        if not self.choose() and self.current is not None:
            self.app.bell()  # a payment or a gap line: nothing to open

    def choose(self) -> bool:
        """Post Chosen for the row under the cursor; False when it has nothing to open."""
        row = self.current
        if row is None or row.data is None:
            return False
        if self.on_choose is not None:
            self.on_choose(row)
        else:
            self.post_message(self.Chosen(self, row))
        return True

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self._go(self.top + event.y - 1)
            if event.chain >= 2:
                self.choose()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._go(self.cursor + 3)
        event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._go(self.cursor - 3)
        event.stop()

    def on_focus(self) -> None:
        self._repaint()

    def on_blur(self) -> None:
        self._repaint()

    def on_resize(self) -> None:
        self._follow_cursor()
        self._painted.clear()
        self._strips.clear()
