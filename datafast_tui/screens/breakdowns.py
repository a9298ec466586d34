"""The Breakdowns screen (`2`): all eleven breakdowns as sortable, searchable, drillable, exportable tables.

Only the visible tab is fetched, one page (1000 rows) first; more pages come as the cursor
nears the end, or all of them when a sort or search needs every row to be true. Enter adds
the row as a global filter; `e` exports the table.

Where things are: the tab's plain state and the rules that load it in data/breakdown_tab.py,
the export in data/breakdown_export.py, drill-down filters in data/breakdown_drill.py, the
drawing in widgets/breakdown_region.py. This file holds the keys, the workers and the events.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Tabs

from datafast_tui.api.catalogue import BREAKDOWNS
from datafast_tui.api.errors import BadRequestError
from datafast_tui.api.filters import Filter
from datafast_tui.api.query import Query
from datafast_tui.data.breakdown_drill import dimension_for, drill_for
from datafast_tui.data.breakdown_export import (
    ExportError,
    ExportStopped,
    default_filename,
    gather_export,
    write_export,
)
from datafast_tui.data.breakdown_loading import PAGE_SIZE, find_parents
from datafast_tui.data.breakdown_rows import SortOrder, next_sort, sort_by
from datafast_tui.data.breakdown_tab import (
    TabState,
    load_every_row,
    load_first_page,
    load_next_page,
)
from datafast_tui.dialogs.export import ExportChoice, ExportDialog
from datafast_tui.error_advice import advise
from datafast_tui.formatting import number
from datafast_tui.messages import AskForFilter, DrillDown
from datafast_tui.quiet_work import work
from datafast_tui.safe_text import clean
from datafast_tui.screens.base import DataScreen
from datafast_tui.screens.context import ScreenContext
from datafast_tui.widgets.breakdown_region import BreakdownRegion, sort_words
from datafast_tui.widgets.breakdown_table import BreakdownTable
from datafast_tui.widgets.query_bar import FilterChip, range_text

if TYPE_CHECKING:
    from datafast_tui.screens import ScreenEntry


class BreakdownsScreen(DataScreen):
    #: What has the focus when the screen opens (and gets it back when it was lost).
    AUTO_FOCUS = "#table"

    BINDINGS = [
        Binding("tab", "switch_tab(1)", "Next tab", show=False, tooltip="Next breakdown tab"),
        Binding("shift+tab", "switch_tab(-1)", "Previous tab", show=False, tooltip="Previous breakdown tab"),
        Binding("l", "switch_tab(1)", "Next tab", show=False, tooltip="Next breakdown tab"),
        Binding("h", "switch_tab(-1)", "Tabs", key_display="h l", tooltip="Previous breakdown tab"),
        Binding("s", "sort_next", "Sort", tooltip="Sort by the next column (or click a header)"),
        # (Reverse and Filter stay out of the footer, so that it fits 120 columns; ? lists them.)
        Binding("S", "sort_reverse", "Reverse", show=False, tooltip="Reverse the sort"),
        Binding("slash", "search", "Search",
                tooltip="Quick search in this table's rows (f: global filter)"),
        Binding("f", "add_filter", "Filter", show=False, tooltip="Add a global filter, for every screen"),
        Binding("e", "export", "Export", tooltip="Export this table to CSV or JSON (all rows, this sort)"),
        Binding("n", "more", "More", show=False, tooltip="Load the next page of rows"),
        Binding("x", "focus_filters", "Filters", show=False,
                tooltip="Focus the filter chips (Backspace removes one)"),
        Binding("escape", "escape", "Clear search", show=False,
                tooltip="Clear the quick search, or go back to the table"),
    ]

    #: Rows per request (the API's maximum); tests lower it to page through the demo.
    page_size = PAGE_SIZE

    def __init__(self, entry: ScreenEntry) -> None:
        super().__init__(entry)
        self.states = {spec.endpoint: TabState(spec) for spec in BREAKDOWNS}
        self.endpoint = BREAKDOWNS[0].endpoint
        #: (rows fetched, total) while an export fetches its rows; the status line shows it.
        self.export_progress: tuple[int, int] | None = None
        #: The context of the last load: the query, currency and store the tabs are drawn for.
        self._loaded_context: ScreenContext | None = None

    @property
    def state(self) -> TabState:
        return self.states[self.endpoint]

    @property
    def body(self) -> BreakdownRegion:
        return self.query_one(BreakdownRegion)

    @property
    def table(self) -> BreakdownTable:
        return self.body.table

    def compose_body(self) -> ComposeResult:
        yield BreakdownRegion(id="body")

    def load_key(self, context: ScreenContext) -> Hashable:
        return (super().load_key(context), self.endpoint)

    def export_dir(self) -> Path:
        """Where the export dialog proposes to write: the current directory."""
        return Path.cwd()

    # -- loading --------------------------------------------------------------------------

    def load(self, context: ScreenContext, *, refresh: bool) -> None:
        self._loaded_context = context
        for state in self.states.values():
            if not state.current_for(context.query):
                self.body.label_tab(state, context.query, active=state is self.state)  # not this query's totals
        state = self.state
        if not refresh and state.current_for(context.query) and state.error is None and not state.lacks_previous:
            self._draw()
            if state.needs_more:
                self._fetch_rest(state)
            return
        self._fetch_first(context, state, refresh)

    @property
    def fetching(self) -> bool:
        """A fetch for the visible tab is running or about to (a worker not started yet counts)."""
        return any(w.group == "breakdowns" and w.node is self and not w.is_finished for w in self.workers)

    @work(exclusive=True, group="breakdowns", exit_on_error=False)
    async def _fetch_first(self, context: ScreenContext, state: TabState, refresh: bool) -> None:
        await load_first_page(state, context.store, context.query, context.currency, self,
                              page_size=self.page_size, refresh=refresh)

    @work(exclusive=True, group="breakdowns", exit_on_error=False)
    async def _fetch_rest(self, state: TabState) -> None:
        if (context := self._loaded_context) is not None:
            await load_every_row(state, context.store, context.currency, self, page_size=self.page_size)

    @work(exclusive=True, group="breakdowns", exit_on_error=False)
    async def _fetch_more(self, state: TabState) -> None:
        if (context := self._loaded_context) is not None:
            await load_next_page(state, context.store, context.currency, self, page_size=self.page_size)

    # TabListener: what the loading functions tell the screen to redraw (the visible tab only).

    def tab_changed(self, state: TabState) -> None:
        if state is self.state:
            self._draw()

    def tab_progress(self, state: TabState) -> None:
        if state is self.state:
            self.body.draw_status(state, self.export_progress)

    def tab_totals(self, state: TabState) -> None:
        if state is self.state:
            self.table.refresh()

    # -- drawing --------------------------------------------------------------------------

    def _draw(self) -> None:
        """The visible tab, and what its rows say about the query (stale, a later page failed)."""
        state, context = self.state, self._loaded_context or self.context
        query, currency = (context.query, context.currency) if context is not None else (Query(), None)
        problem = state.error or state.problem
        self.report(problem)
        if problem is not None and state.error is None and not isinstance(problem, BadRequestError):
            self.message.show_error(problem, age=state.stale_age())  # rows are shown, but old or incomplete
        else:
            self.message.clear()
        self.body.draw(state, query, currency, self.export_progress)

    # -- table events ---------------------------------------------------------------------

    def on_breakdown_table_highlighted(self, event: BreakdownTable.Highlighted) -> None:
        self.state.cursor = event.row
        self.body.draw_detail()

    def on_breakdown_table_near_end(self, _: BreakdownTable.NearEnd) -> None:
        state, context = self.state, self._loaded_context
        rows = state.rows
        if rows is None or rows.complete or state.problem is not None or context is None \
                or not state.current_for(context.query):
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
        elif drill.look_up and self._loaded_context is not None:
            self._drill_with_parents(self._loaded_context, drill.filters, drill.look_up)
        else:
            self._post_drill(drill.filters)

    @work(exclusive=True, group="drill", exit_on_error=False)
    async def _drill_with_parents(self, context: ScreenContext, filters: tuple[Filter, ...],
                                  look_up: tuple[str, ...]) -> None:
        parents = await find_parents(context.store, context.query, filters[-1], look_up)
        self._post_drill((*filters[:-1], *parents, filters[-1]))

    def _post_drill(self, filters: tuple[Filter, ...]) -> None:
        for f in filters:
            self.post_message(DrillDown(f))

    # -- actions --------------------------------------------------------------------------

    def action_switch_tab(self, step: int) -> None:
        if isinstance(self.focused, FilterChip):  # Tab walks the chips, as on the other screens
            self.focus_next() if step > 0 else self.focus_previous()
            return
        endpoints = [spec.endpoint for spec in BREAKDOWNS]
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

    def select_tab(self, endpoint: str) -> None:
        """Show the tab of `endpoint` (a saved view's), as the tab keys do."""
        if endpoint in self.states:
            self._show_tab(endpoint)
            self.query_one(Tabs).active = f"tab-{endpoint}"

    def on_mount(self) -> None:
        tab = getattr(self.app, "requested_tab", None)
        if tab:
            self.app.requested_tab = None  # type: ignore[attr-defined]
            self.call_after_refresh(self.select_tab, tab)

    def _show_tab(self, endpoint: str) -> None:
        if endpoint == self.endpoint or endpoint not in self.states:
            return
        self.endpoint = endpoint
        with self.prevent(Input.Changed):
            self.body.search.value = self.state.search
        self.body.show_search(bool(self.state.search))
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
        self.body.show_search(True)
        # At once, not on the next turn as focus() does: keys typed right after `/` are the search.
        self.set_focus(self.body.search)

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
            self.body.show_search(False)
        self.table.focus()

    def action_escape(self) -> None:
        if self.body.search_shown:
            self.body.search.value = ""  # Input.Changed redraws the whole table
            self.body.show_search(False)
        self.table.focus()

    def action_more(self) -> None:
        state, context = self.state, self._loaded_context
        if state.rows is not None and state.rows.complete:
            self.notify("Every row is loaded", timeout=2, markup=False)
        elif not self.fetching and context is not None and state.current_for(context.query):
            self._fetch_more(state)

    def action_add_filter(self) -> None:
        keys = [c.key for c in self.state.shown if not c.numeric]
        dimension = dimension_for(self.endpoint, keys[-1]) if len(keys) == 1 or self.endpoint == "pages" else None
        self.post_message(AskForFilter(dimension))

    def action_focus_filters(self) -> None:
        chips = self.query(FilterChip)
        if chips:
            chips.first().focus()
        else:
            self.notify("No filters yet: Enter on a row or f adds one", timeout=3, markup=False)

    # -- export ---------------------------------------------------------------------------

    def action_export(self) -> None:
        state, context = self.state, self._loaded_context
        if state.rows is None or context is None:
            reason = "it could not be loaded" if state.error is not None else "it is still loading"
            self.notify(f"Nothing to export: {reason}", severity="warning", markup=False)
            return
        query = state.rows.query
        moment = context.now().astimezone()  # the user's local time names the file
        filters = ", ".join(clean(f.describe()) for f in query.filters) or "no filters"
        search = state.search.strip()
        total = state.rows.shown_total
        rows = f"rows matching “{clean(search)}”" if search else (f"all {number(total)} rows" if total != 1 else "its 1 row")
        summary = (f"{rows} · sorted {sort_words(state.shown, state.order)}\n"
                   f"{range_text(query, context.zone)} · {filters}")
        dialog = ExportDialog(f"Export {state.tab.title}", summary,
                              default_name=default_filename(state.endpoint, moment, "csv"), cwd=self.export_dir())
        self.app.push_screen(dialog, lambda choice: self._export(context, state, choice) if choice else None)

    @work(exclusive=True, group="export", exit_on_error=False)
    async def _export(self, context: ScreenContext, state: TabState, choice: ExportChoice) -> None:
        def progress(received: int, total: int) -> None:
            self.export_progress = (received, total)
            self.body.draw_status(self.state, self.export_progress)

        try:
            table = await gather_export(
                context.store, state, currency=context.currency, page_size=self.page_size, on_progress=progress,
                site=context.site.domain if context.site else None, site_timezone=context.zone_name,
                exported_at=context.now())
        except ExportStopped as stopped:
            advice = advise(stopped.error)
            self.notify(f"Export stopped after {number(stopped.received)} rows: {advice.title}: {advice.detail}",
                        severity="error", timeout=10, markup=False)
            return
        finally:
            self.export_progress = None
            self.body.draw_status(self.state, None)
        try:
            result = await asyncio.to_thread(write_export, table, choice.path, choice.fmt, sidecar=choice.sidecar)
        except ExportError as error:
            self.notify(f"Export failed: {error}", severity="error", timeout=15, markup=False)
            return
        also = f" (the query in {result.sidecar.name})" if result.sidecar is not None else ""
        self.notify(f"Exported {number(result.rows)} rows to {result.path}{also}", title="Export", timeout=10,
                    markup=False)
