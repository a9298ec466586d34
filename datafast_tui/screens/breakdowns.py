"""The Breakdowns screen (`2`): all eleven breakdowns as sortable, searchable, drillable, exportable tables.

Only the visible tab is fetched, one page (1000 rows) first; more pages come as the cursor
nears the end, or all of them when a sort or search needs every row to be true. Enter adds
the row as a global filter; `e` exports the table. The workers that load are in
breakdowns_loading.py (over data/breakdown_loading.py), the export in breakdowns_export.py,
the words and cells in breakdowns_view.py, the tab state in breakdowns_state.py.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, ProgressBar, Static, Tab, Tabs

from datafast_tui.api.errors import BadRequestError
from datafast_tui.api.filters import Filter
from datafast_tui.data.breakdown_loading import PAGE_SIZE, find_parents
from datafast_tui.data.breakdown_rows import SortOrder, next_sort, sort_by
from datafast_tui.error_advice import advise
from datafast_tui.resources import stylesheet
from datafast_tui.screens.base import DataScreen
from datafast_tui.screens.breakdowns_export import ExportMixin
from datafast_tui.screens.breakdowns_loading import LoadingMixin
from datafast_tui.screens.breakdowns_state import TabState
from datafast_tui.screens.breakdowns_view import (
    TABS,
    count_words,
    dimension_for,
    drill_for,
    row_detail,
    sort_words,
    tab_label,
    table_columns,
)
from datafast_tui.widgets.breakdown_table import BreakdownTable
from datafast_tui.widgets.query_bar import FilterChip
from datafast_tui.widgets.top_table import DrillDown


class BreakdownsScreen(LoadingMixin, ExportMixin, DataScreen):
    SCREEN_TITLE = "Breakdowns"
    CSS_PATH = stylesheet("breakdowns.tcss")

    BINDINGS = [
        Binding("tab", "switch_tab(1)", "Next tab", show=False, tooltip="Next breakdown tab"),
        Binding("shift+tab", "switch_tab(-1)", "Previous tab", show=False, tooltip="Previous breakdown tab"),
        Binding("l", "switch_tab(1)", "Next tab", show=False, tooltip="Next breakdown tab"),
        Binding("h", "switch_tab(-1)", "Tabs", key_display="h l", tooltip="Previous breakdown tab"),
        Binding("s", "sort_next", "Sort", tooltip="Sort by the next column (or click a header)"),
        Binding("S", "sort_reverse", "Reverse", tooltip="Reverse the sort"),
        Binding("slash", "search", "Search",
                tooltip="Quick search in this table's rows (f: global filter)"),
        Binding("f", "add_filter", "Filter", tooltip="Add a global filter, for every screen"),
        Binding("e", "export", "Export", tooltip="Export this table to CSV or JSON (all rows, this sort)"),
        Binding("n", "more", "More", show=False, tooltip="Load the next page of rows"),
        Binding("x", "focus_filters", "Filters", show=False,
                tooltip="Focus the filter chips (Backspace removes one)"),
        Binding("escape", "escape", "Clear search", show=False,
                tooltip="Clear the quick search, or go back to the table"),
    ]

    #: Rows per request (the API's maximum); tests lower it to page through the demo.
    page_size = PAGE_SIZE

    def __init__(self) -> None:
        super().__init__()
        self.states = {tab.endpoint: TabState(tab) for tab in TABS}
        self.endpoint = TABS[0].endpoint

    @property
    def state(self) -> TabState:
        return self.states[self.endpoint]

    @property
    def table(self) -> BreakdownTable:
        return self.query_one(BreakdownTable)

    def compose_body(self) -> ComposeResult:
        tabs = Tabs(*(Tab(tab.title, id=f"tab-{tab.endpoint}") for tab in TABS), id="tabs")
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
            yield Input(placeholder="text in this table's rows (Enter: back to the rows · Esc: clear)",
                        id="search", compact=True)
        yield Static("", id="detail", markup=False)

    def on_mount(self) -> None:
        self.query_one("#search-bar").display = False
        self.query_one("#progress", ProgressBar).display = False
        self.table.focus()

    def on_resize(self) -> None:
        # The detail line chooses its wording by the width it has: choose again for the new one.
        self.call_after_refresh(self._draw_detail)

    def load_key(self) -> Hashable:
        return (super().load_key(), self.endpoint)

    # -- drawing --------------------------------------------------------------------------

    def _label(self, state: TabState) -> None:
        total = state.total if state.current_for(self.df_app.query) else None
        tab = self.query_one(f"#tab-{state.endpoint}", Tab)
        label = tab_label(state.tab, total)
        if tab.label_text != label:
            tab.label = label
            if state is self.state:  # eleven tabs with totals overflow: keep the grown active one in view
                self.call_after_refresh(tab.scroll_visible, animate=False, force=True)

    def _draw(self) -> None:
        """Everything for the visible tab: table or error in its place, counters, detail line."""
        state = self.state
        table, error_box = self.table, self.query_one("#tab-error", Static)
        problem = state.error or state.problem
        self.df_app.report_error(problem)
        if problem is not None and state.error is None and not isinstance(problem, BadRequestError):
            self.message.show_error(problem, age=state.stale_age())  # rows are shown, but old or incomplete
        else:
            self.message.clear()
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
            currency = self.df_app.currency
            table.set_rows(len(state.view), lambda r, c: state.cell(r, c, currency), cursor=state.cursor,
                           placeholder=self._placeholder(state))
        self._label(state)
        self._draw_status()
        self._draw_detail()

    def _placeholder(self, state: TabState) -> str:
        if state.rows is None:
            return "loading…"
        if state.search.strip():
            return "no row matches the search" + (" yet (loading every row)" if state.needs_more else "")
        return "no data for this range and these filters"

    def _draw_status(self) -> None:
        state = self.state
        rows = state.rows
        counter, info = self.query_one("#counter", Static), self.query_one("#sort-info", Static)
        bar = self.query_one("#progress", ProgressBar)
        fetching = self.export_progress or state.progress
        bar.display = fetching is not None
        if fetching is not None:
            bar.update(total=max(fetching[1], 1), progress=fetching[0])
        if rows is None or rows.total is None:
            counter.update("" if state.error is not None else "loading…")
            info.update("")
            return
        counter.update(count_words(len(state.view), len(rows.rows), rows.shown_total, state.search))
        words = f"sorted {sort_words(state.shown, state.order)}"
        if self.export_progress is not None:
            words += " · exporting: fetching every row"
        elif state.progress is not None:
            words += " (the loaded rows; fetching the rest)"
        elif not rows.complete:
            words += " · n or ↓ at the end loads more"
        info.update(words)

    def _draw_detail(self) -> None:
        state, detail = self.state, self.query_one("#detail", Static)
        if state.error is not None or not state.view:
            detail.update("")
            return
        row = state.view[min(state.cursor, len(state.view) - 1)]
        index = self.table.cursor_column
        column = state.shown[index] if 0 <= index < len(state.shown) else None
        width = detail.content_region.width or self.size.width - 2
        detail.update(row_detail(state.shown, row, drill_for(state.endpoint, row, column), width))

    # -- table events ---------------------------------------------------------------------

    def on_breakdown_table_highlighted(self, event: BreakdownTable.Highlighted) -> None:
        self.state.cursor = event.row
        self._draw_detail()

    def on_breakdown_table_near_end(self, _: BreakdownTable.NearEnd) -> None:
        state = self.state
        rows = state.rows
        if rows is None or rows.complete or state.problem is not None or not state.current_for(self.df_app.query):
            return
        if not self.fetching:
            self._fetch_more(state)

    def on_breakdown_table_header_clicked(self, event: BreakdownTable.HeaderClicked) -> None:
        state = self.state
        if 0 <= event.column < len(state.shown):
            self._sort(sort_by(state.shown, state.order, state.shown[event.column].key))

    def on_breakdown_table_selected(self, event: BreakdownTable.Selected) -> None:
        state = self.state
        if not 0 <= event.row < len(state.view):
            return
        column = state.shown[event.column] if 0 <= event.column < len(state.shown) else None
        drill = drill_for(state.endpoint, state.view[event.row], column)
        if drill.problem is not None:
            self.notify(f"Cannot filter by this row: {drill.problem}", severity="warning", markup=False)
        elif drill.look_up:
            self._drill_with_parents(drill.filters, drill.look_up)
        else:
            self._post_drill(drill.filters)

    @work(exclusive=True, group="drill", exit_on_error=False)
    async def _drill_with_parents(self, filters: tuple[Filter, ...], look_up: tuple[str, ...]) -> None:
        store = self.df_app.store
        parents = await find_parents(store, self.df_app.query, filters[-1], look_up) if store else []
        self._post_drill((*filters[:-1], *parents, filters[-1]))

    def _post_drill(self, filters: tuple[Filter, ...]) -> None:
        for f in filters:
            self.post_message(DrillDown(f))

    # -- actions --------------------------------------------------------------------------

    def action_switch_tab(self, step: int) -> None:
        if isinstance(self.focused, FilterChip):  # Tab walks the chips, as on the other screens
            self.focus_next() if step > 0 else self.focus_previous()
            return
        endpoints = [tab.endpoint for tab in TABS]
        endpoint = endpoints[(endpoints.index(self.endpoint) + step) % len(endpoints)]
        # Switch now, not when Tabs' message arrives: keys typed right after (s, /) are for the new tab.
        self._show_tab(endpoint)
        self.query_one(Tabs).active = f"tab-{endpoint}"

    @on(Tabs.TabActivated, "#tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        """A click on a tab. Keys have switched already: their messages, arriving late, either
        name the tab shown or one passed on the way (stale: `active` has moved on)."""
        if event.tab.id == event.tabs.active:
            self._show_tab((event.tab.id or "").removeprefix("tab-"))

    def _show_tab(self, endpoint: str) -> None:
        if endpoint == self.endpoint or endpoint not in self.states:
            return
        self.endpoint = endpoint
        box = self.query_one("#search", Input)
        with self.prevent(Input.Changed):
            box.value = self.state.search
        self.query_one("#search-bar").display = bool(self.state.search)
        self._draw()
        self._maybe_load()

    def _sort(self, order: SortOrder) -> None:
        """Sort the visible tab (before its rows came too: they arrive sorted)."""
        state = self.state
        state.order = order
        state.cursor = 0
        state.refresh_view()
        self._draw()
        if state.needs_more and not self.fetching:  # a running fetch goes on to the rest itself
            self._fetch_rest(state)

    def action_sort_next(self) -> None:
        self._sort(next_sort(self.state.sortable_columns, self.state.order))

    def action_sort_reverse(self) -> None:
        self._sort(self.state.order.reversed())

    def action_search(self) -> None:
        self.query_one("#search-bar").display = True
        # At once, not on the next turn as focus() does: keys typed right after `/` are the search.
        self.set_focus(self.query_one("#search", Input))

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        state = self.state
        state.search = event.value
        state.cursor = 0
        state.refresh_view()
        self._draw()
        if state.needs_more and not self.fetching:  # a running fetch goes on to the rest itself
            self._fetch_rest(state)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        if not self.state.search.strip():
            self.query_one("#search-bar").display = False
        self.table.focus()

    def action_escape(self) -> None:
        bar = self.query_one("#search-bar")
        if bar.display:
            self.query_one("#search", Input).value = ""  # Input.Changed redraws the whole table
            bar.display = False
        self.table.focus()

    def action_more(self) -> None:
        state = self.state
        if state.rows is not None and state.rows.complete:
            self.notify("Every row is loaded", timeout=2, markup=False)
        elif not self.fetching and state.current_for(self.df_app.query):
            self._fetch_more(state)

    def action_add_filter(self) -> None:
        keys = [c.key for c in self.state.shown if not c.numeric]
        dimension = dimension_for(self.endpoint, keys[-1]) if len(keys) == 1 or self.endpoint == "pages" else None
        self.df_app.action_add_filter(dimension)

    def action_focus_filters(self) -> None:
        chips = self.query(FilterChip)
        if chips:
            chips.first().focus()
        else:
            self.notify("No filters yet: Enter on a row or f adds one", timeout=3, markup=False)
