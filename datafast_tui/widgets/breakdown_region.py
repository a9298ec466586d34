"""The body of the Breakdowns screen: tabs, status line, table (or the tab's error), search box, row detail.

It draws a `TabState` (data/breakdown_tab.py) and nothing else: the screen decides what to
load and which tab is shown, this region turns the state into tab labels, counters, rows
and the detail line (the words are plain functions at the end of this file). Messages of the widgets inside (table cursor, tab clicks, search
typing) bubble on to the screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, ProgressBar, Static, Tab, Tabs

from datafast_tui.api.catalogue import BREAKDOWNS, BreakdownSpec
from datafast_tui.api.models import BreakdownRow
from datafast_tui.api.query import Query
from datafast_tui.data.breakdown_columns import TEXT, Column
from datafast_tui.data.breakdown_drill import Drill, drill_for
from datafast_tui.data.breakdown_rows import SortOrder, is_api_order
from datafast_tui.data.breakdown_tab import TabState
from datafast_tui.error_advice import advise
from datafast_tui.formatting import number
from datafast_tui.safe_text import clean, shorten_middle
from datafast_tui.widgets.breakdown_table import BreakdownTable, TableColumn
from datafast_tui.widgets.field_input import FieldInput

Progress = tuple[int, int]


class BreakdownRegion(Vertical):
    DEFAULT_CSS = """
    BreakdownRegion { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._state: TabState | None = None  # the tab drawn last (the detail line follows it)

    def compose(self) -> ComposeResult:
        tabs = Tabs(*(Tab(spec.title, id=f"tab-{spec.endpoint}") for spec in BREAKDOWNS), id="tabs")
        tabs.can_focus = False  # Tab, Shift+Tab, h and l switch tabs; the table keeps the focus
        yield tabs
        with Horizontal(id="status"):
            yield Static("", id="counter", markup=False)
            yield Static("", id="sort-info", markup=False)
            yield ProgressBar(id="progress", show_eta=False)
        yield BreakdownTable(id="table")
        yield Static("", id="tab-error", markup=False)
        with Horizontal(id="search-bar"):
            yield Static("search", id="search-label", markup=False)
            yield FieldInput(placeholder="text in this table's rows (Enter: back to the rows · Esc: clear)",
                        id="search", compact=True)
        yield Static("", id="detail", markup=False)

    def on_mount(self) -> None:
        self.query_one("#search-bar").display = False
        self.query_one("#progress", ProgressBar).display = False

    def on_resize(self) -> None:
        # The detail line chooses its wording by the width it has: choose again for the new one.
        self.call_after_refresh(self.draw_detail)

    @property
    def table(self) -> BreakdownTable:
        return self.query_one(BreakdownTable)

    @property
    def search(self) -> Input:
        return self.query_one("#search", Input)

    def show_search(self, shown: bool) -> None:
        self.query_one("#search-bar").display = shown

    @property
    def search_shown(self) -> bool:
        return bool(self.query_one("#search-bar").display)

    # -- drawing --------------------------------------------------------------------------

    def label_tab(self, state: TabState, query: Query, *, active: bool) -> None:
        """The tab's label with its row total, when the rows held answer `query`."""
        total = state.total if state.current_for(query) else None
        tab = self.query_one(f"#tab-{state.endpoint}", Tab)
        label = tab_label(state.tab, total)
        if tab.label_text != label:
            tab.label = label
            if active:  # eleven tabs with totals overflow: keep the grown active one in view
                self.call_after_refresh(tab.scroll_visible, animate=False, force=True)

    def draw(self, state: TabState, query: Query, currency: str | None, export: Progress | None) -> None:
        """Everything of the tab on screen: table or error in its place, label, counters, detail line."""
        self._state = state
        table, error_box = self.table, self.query_one("#tab-error", Static)
        table.display = state.error is None
        error_box.display = state.error is not None
        if state.error is not None:
            advice = advise(state.error)
            error_box.update(f"{state.tab.title} could not be loaded.\n\n{advice.title}: {advice.detail}\n\n"
                             "The other tabs still work; r tries again.")
        else:
            sort_index = next((i for i, c in enumerate(state.shown) if c.key == state.order.column), None)
            table.set_columns(table_columns(state.shown, state.widths),
                              None if sort_index is None else (sort_index, state.order.descending))
            table.set_rows(len(state.view), lambda r, c: state.cell(r, c, currency), cursor=state.cursor,
                           placeholder=_placeholder(state))
        self.label_tab(state, query, active=True)
        self.draw_status(state, export)
        self.draw_detail()

    def draw_status(self, state: TabState, export: Progress | None) -> None:
        """The row counter, the sort in words and the progress bar of a fetch of every row."""
        rows = state.rows
        counter, info = self.query_one("#counter", Static), self.query_one("#sort-info", Static)
        bar = self.query_one("#progress", ProgressBar)
        fetching = export or state.progress
        bar.display = fetching is not None
        if fetching is not None:
            bar.update(total=max(fetching[1], 1), progress=fetching[0])
        if rows is None or rows.total is None:
            counter.update("" if state.error is not None else "loading…")
            info.update("")
            return
        counter.update(count_words(len(state.view), len(rows.rows), rows.shown_total, state.search))
        words = f"sorted {sort_words(state.shown, state.order)}"
        if export is not None:
            words += " · exporting: fetching every row"
        elif state.progress is not None:
            words += " (the loaded rows; fetching the rest)"
        elif not rows.complete:
            words += " · n or ↓ at the end loads more"
        if rows.previous is not None:
            previous = rows.query.comparison()
            period = previous.range.label() if previous is not None else "the previous period"
            words += f" · vs {period} ({rows.previous.missing_words})"
        elif rows.query.compare and rows.query.comparison() is not None:
            words += " · the previous period could not be loaded"
        info.update(words)

    def draw_detail(self) -> None:
        """The highlighted row written out whole, and what Enter on it does."""
        state, detail = self._state, self.query_one("#detail", Static)
        if state is None or state.error is not None or not state.view:
            detail.update("")
            return
        row = state.view[min(state.cursor, len(state.view) - 1)]
        index = self.table.cursor_column
        column = state.shown[index] if 0 <= index < len(state.shown) else None
        width = detail.content_region.width or self.size.width - 2
        detail.update(row_detail(state.shown, row, drill_for(state.endpoint, row, column), width))


def _placeholder(state: TabState) -> str:
    if state.rows is None:
        return "loading…"
    if state.search.strip():
        return "no row matches the search" + (" yet (loading every row)" if state.needs_more else "")
    return "no data for this range and these filters"


# -- words (plain functions, tested without a terminal) -------------------------------------

def tab_label(tab: BreakdownSpec, total: int | None) -> str:
    """"Cities 2,297" once the total is known, else just "Cities"."""
    return tab.title if total is None else f"{tab.title} {number(total)}"


def table_columns(columns: Sequence[Column], widths: Sequence[int]) -> list[TableColumn]:
    return [TableColumn(c.title, c.numeric, w) for c, w in zip(columns, widths)]


def row_detail(columns: Sequence[Column], row: BreakdownRow, drill: Drill, width: int = 10_000) -> str:
    """The highlighted row written out whole (the table shortens long paths and URLs), and what
    Enter does: the exact filters when they fit `width` beside it, else just their dimensions.

    A row too long for the detail box (a 10,000-character path) is cut in the middle, so the
    value's end and what Enter does still show (see `_fit`)."""
    labels = [(c, clean(row.labels.get(c.key, ""))) for c in columns if c.kind == TEXT and not c.derived]
    shown = [f"{c.title} {v}" if len(labels) > 1 else v for c, v in labels if v]
    text = " · ".join(shown) or "(none)"
    if drill.problem is not None:
        end = f"   — cannot filter: {drill.problem}"
        return _fit(text, end, width) + end
    parents = f" (and its {' and '.join(drill.look_up)}" if drill.look_up else ""
    full = f"{text}   — Enter filters: {', '.join(f.describe() for f in drill.filters)}"
    full += f"{parents} when known)" if parents else ""
    if cell_len(full) <= width:
        return full
    end = f"   — Enter filters by {', '.join(f.dimension for f in drill.filters)}{parents and parents + ')'}"
    return _fit(text, end, width) + end


def _fit(text: str, end: str, width: int) -> str:
    """`text`, cut in the middle when it and `end` would take more than 3 lines of `width`.

    The detail box shows 4 lines (breakdowns.tcss); a long word that wraps to a new line can
    waste most of one. Uncut, the box would show only the start of the value, and lose its end
    and what Enter does.
    """
    budget = 3 * width - cell_len(end)
    return text if cell_len(text) <= budget else shorten_middle(text, max(budget, 20))


def sort_words(columns: Sequence[Column], order: SortOrder) -> str:
    title = next((c.title for c in columns if c.key == order.column), order.column)
    if is_api_order(order):
        # Share sorts as visitors do (it is visitors over one total): the header and this agree.
        return f"by {title.lower() if order.column == 'visitors' else title} ▼ (the API's order)"
    return f"by {title} {'▼' if order.descending else '▲'}"


def count_words(shown: int, loaded: int, total: int, search: str) -> str:
    """"1,000 of 2,297 rows"; with a search "12 of 2,297 rows match “par”"."""
    rows = "row" if total == 1 else "rows"
    if not search.strip():
        return f"{number(loaded)} of {number(total)} {rows}"
    scope = number(total) if loaded >= total else f"{number(loaded)} loaded (of {number(total)})"
    verb = "matches" if shown == 1 else "match"
    return f"{number(shown)} of {scope} {rows} {verb} “{clean(search.strip())}”"
