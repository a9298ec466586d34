"""The People screen (`5`): who matches a search, newest first, on today's `GET visitors`.

The search is the app's query (range and filters, `/` adds one, Enter on any other screen's
row drills in) plus the customer choice (`c`); what the list cannot carry (is not, does not
contain, entry page, compare) is named on screen and left out of the request. Enter opens
the highlighted person in the Visitor screen; `e` exports what matched.

State and loading rules: data/people_list.py; the request's parameters: api/people.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from datafast_tui.api.errors import QueryError
from datafast_tui.api.people import CUSTOMER_CHOICES, PeopleSearch, customer_words
from datafast_tui.data.breakdown_export import ExportError
from datafast_tui.data.people_export import describe, write_people
from datafast_tui.data.people_form import PeopleForm
from datafast_tui.data.people_list import EXPORT_LIMIT, PeopleState, gather_for_export, load_first_page, load_next_page
from datafast_tui.dialogs.export import ExportChoice, ExportDialog
from datafast_tui.dialogs.people_search import PeopleSearchDialog
from datafast_tui.error_advice import advise
from datafast_tui.formatting import ago, number
from datafast_tui.quiet_work import work
from datafast_tui.safe_text import clean, safe
from datafast_tui.screens.base import DataScreen
from datafast_tui.screens.context import ContextSource, ScreenContext
from datafast_tui.widgets.list_table import ListTable
from datafast_tui.widgets.query_bar import range_text

if TYPE_CHECKING:
    from datafast_tui.api.people import PersonRow
    from datafast_tui.screens import ScreenEntry

#: Column titles and the widest each is drawn (cells are shortened in the middle).
#: Column titles and the widest each is drawn (cells are shortened in the middle): together
#: with the cells' padding they fill 120 columns; narrower terminals scroll sideways.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("Last seen", 11), ("Location", 20), ("Device", 26), ("Current URL", 26), ("Acquisition", 16), ("Paid", 4),
)
#: Rows from the end at which the next page is asked for.
NEAR_END = 20


def cells(row: PersonRow, now_text: str) -> tuple[Text, ...]:
    values = (now_text, row.location, row.device_text, row.current_url or "", row.acquisition_text,
              {True: "$", False: "", None: "?"}[row.is_customer])
    return tuple(safe(v, width=width) for v, (_, width) in zip(values, COLUMNS, strict=True))


class PeopleTable(ListTable):
    """The results: one row per person."""

    # The screen's action at once (not RowSelected, a message handled after the keys behind Enter).
    BINDINGS = [Binding("enter", "screen.open_person", "Open", show=False,
                        tooltip="Open the highlighted person in the Visitor screen")]


class PeopleScreen(DataScreen):
    AUTO_FOCUS = "#people"

    BINDINGS = [
        Binding("enter", "open_person", "Open", tooltip="Open the highlighted person in the Visitor screen"),
        Binding("s", "search_form", "Search", tooltip="Search by page, goal, place, device, source, customers"),
        Binding("c", "cycle_customer", "Customers",
                tooltip="Anyone → customers only → not customers (the API's isCustomer)"),
        Binding("n", "more", "More", show=False, tooltip="Load the next page of people (250 a page)"),
        Binding("e", "export", "Export", tooltip="Export the people who match to CSV or JSON"),
    ]

    #: People per request (the API's maximum); tests lower it to page through the demo.
    page_size = 250

    def __init__(self, entry: ScreenEntry) -> None:
        super().__init__(entry)
        self.state = PeopleState()
        self.customer: bool | None = None
        self._loaded_context: ScreenContext | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="people-scope", markup=False)
        table = PeopleTable(id="people", cursor_type="row", zebra_stripes=True)
        for title, width in COLUMNS:
            table.add_column(title, width=width, key=title)
        yield table
        yield Static("", id="people-status", markup=False)

    @property
    def table(self) -> PeopleTable:
        return self.query_one("#people", PeopleTable)

    def search_for(self, context: ScreenContext) -> PeopleSearch:
        return PeopleSearch(context.query, self.customer)

    def load_key(self, context: ScreenContext) -> Hashable:
        return (super().load_key(context), self.customer)

    # -- loading --------------------------------------------------------------------------

    def load(self, context: ScreenContext, *, refresh: bool) -> None:
        self._loaded_context = context
        search = self.search_for(context)
        self._draw_scope(context, search)
        try:
            search.params()
        except QueryError as problem:  # a combination the API refuses: say so, send nothing
            self.state.reset(search)
            self.state.error = problem
            self._draw()
            return
        if self.state.current_for(search) and not refresh and self.state.error is None:
            self._draw()
            return
        if self.state.search != search:
            self.state.reset(search)
        self._draw()
        self._fetch_first(context, search, refresh)

    @work(exclusive=True, group="people", exit_on_error=False)
    async def _fetch_first(self, context: ScreenContext, search: PeopleSearch, refresh: bool) -> None:
        await load_first_page(self.state, context.store, search, refresh=refresh, page_size=self.page_size)
        if self.state.search == search:
            self._draw()

    @work(exclusive=True, group="people", exit_on_error=False)
    async def _fetch_more(self) -> None:
        if self._loaded_context is None:
            return
        before = len(self.state.rows)
        self._draw_status(loading_more=True)
        await load_next_page(self.state, self._loaded_context.store, page_size=self.page_size)
        self._draw(appended_from=before)

    @property
    def fetching(self) -> bool:
        return any(w.group == "people" and not w.is_finished for w in self.workers)

    # -- drawing --------------------------------------------------------------------------

    def _draw_scope(self, context: ScreenContext, search: PeopleSearch) -> None:
        query = context.query
        carried = [f.describe() for f in search.carried]
        parts = [range_text(query, context.zone), *carried, customer_words(self.customer) + " (c)"]
        text = "People: " + " · ".join(clean(p) for p in parts)
        if search.left_out:
            text += "\nNot applied here (the visitors list cannot say it): " + "; ".join(
                clean(x) for x in search.left_out)
        self.query_one("#people-scope", Static).update(text)

    def _draw(self, appended_from: int | None = None) -> None:
        state, table = self.state, self.table
        context = self._loaded_context or self.context
        now = context.now() if context is not None else None
        problem = state.error
        if problem is not None and not isinstance(problem, QueryError):
            self.report(problem)
        if problem is not None:
            if isinstance(problem, QueryError):
                self.message.show_info(f"Not sent: {problem}")
            else:
                self.message.show_error(problem, age=state.stale_age if state.rows else None)
        elif state.loaded and not state.rows:
            self.message.show_info("Nobody matched this search. Widen the range (d), remove a filter (x on a chip), "
                                   "or press c for anyone.")
        else:
            self.message.clear()
        if appended_from is None or appended_from > table.row_count:
            table.clear()
            appended_from = 0
        for index in range(appended_from, len(state.rows)):
            row = state.rows[index]
            seen = ago(row.last_seen, now) if now is not None else "–"
            table.add_row(*cells(row, seen), key=f"{index}:{row.visitor_id}")
        if appended_from == 0 and state.rows:
            table.move_cursor(row=min(state.cursor, len(state.rows) - 1))
        self._draw_status()

    def _draw_status(self, *, loading_more: bool = False) -> None:
        state = self.state
        if not state.loaded:
            text = "" if state.error is not None else "Searching…"
        else:
            count = len(state.rows)
            shown = f"{number(count)} {'person' if count == 1 else 'people'}, last seen first"
            more = (" · loading more…" if loading_more else
                    " · more match: scroll or n" if state.has_more else " · that is everyone")
            text = shown + (more if count else "") + " · ⏎ open · e export"
        self.query_one("#people-status", Static).update(text)

    # -- events and actions ---------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.state.cursor = event.cursor_row
        if self.state.has_more and event.cursor_row >= len(self.state.rows) - NEAR_END and not self.fetching \
                and self.state.error is None:
            self._fetch_more()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(event.cursor_row)

    def action_open_person(self) -> None:
        self._open(self.table.cursor_row)

    def _open(self, index: int) -> None:
        if 0 <= index < len(self.state.rows):
            cast("ContextSource", self.app).open_visitor(self.state.rows[index].visitor_id)
        else:
            self.notify("Nobody to open: the list is empty", timeout=3, markup=False)

    def action_cycle_customer(self) -> None:
        index = CUSTOMER_CHOICES.index(self.customer)
        self.customer = CUSTOMER_CHOICES[(index + 1) % len(CUSTOMER_CHOICES)]
        self.notify(f"People: {customer_words(self.customer)}", timeout=2, markup=False)
        self._maybe_load()

    def action_search_form(self) -> None:
        context = self.context
        if context is not None:
            self.app.push_screen(PeopleSearchDialog(context.query, self.customer), self._searched)

    def _searched(self, form: PeopleForm | None) -> None:
        if form is None:
            return
        self.customer = form.customer
        app = self.app
        if form.query != app.query:  # type: ignore[attr-defined]
            app.query = form.query  # type: ignore[attr-defined]  # every screen follows, as with /
        else:
            self._maybe_load()

    def action_more(self) -> None:
        if not self.state.loaded:
            return
        if not self.state.has_more:
            self.notify("Every person who matches is loaded", timeout=2, markup=False)
        elif not self.fetching:
            self._fetch_more()

    def export_dir(self) -> Path:
        return Path.cwd()

    def action_export(self) -> None:
        state, context = self.state, self._loaded_context
        if context is None or state.search is None or not state.loaded or not state.rows:
            reason = "nobody matched" if state.loaded else "it is still loading"
            self.notify(f"Nothing to export: {reason}", severity="warning", markup=False)
            return
        moment = context.now().astimezone()
        more = f" and the rest, up to {number(EXPORT_LIMIT)}" if state.has_more else ""
        summary = (f"the {number(len(state.rows))} people loaded{more}\n"
                   f"{range_text(state.search.query, context.zone)} · {customer_words(state.search.customer)}")
        dialog = ExportDialog("Export people", summary, default_name=f"datafast-people-{moment:%Y%m%d-%H%M%S}.csv",
                              cwd=self.export_dir())
        self.app.push_screen(dialog, lambda choice: self._export(context, choice) if choice else None)

    @work(exclusive=True, group="people-export", exit_on_error=False)
    async def _export(self, context: ScreenContext, choice: ExportChoice) -> None:
        state, search = self.state, self.state.search
        if search is None:
            return
        before = len(state.rows)
        complete = await gather_for_export(state, context.store, page_size=self.page_size)
        self._draw(appended_from=before)
        if state.search != search:
            self.notify("Export stopped: the search changed while it ran", severity="warning", markup=False)
            return
        if state.error is not None:
            advice = advise(state.error)
            self.notify(f"Export goes on with the {number(len(state.rows))} people loaded: {advice.title}",
                        severity="warning", markup=False)
        rows = list(state.rows)
        header = describe(search, rows=len(rows), complete=complete,
                          site=context.site.domain if context.site else None, exported_at=context.now())
        try:
            result = await asyncio.to_thread(write_people, rows, header, choice.path, choice.fmt,
                                             sidecar=choice.sidecar)
        except ExportError as error:
            self.notify(f"Export failed: {error}", severity="error", timeout=15, markup=False)
            return
        also = f" (the query in {result.sidecar.name})" if result.sidecar is not None else ""
        partial = "" if complete else f" — the first {number(len(rows))}; more matched"
        self.notify(f"Exported {number(result.rows)} people to {result.path}{also}{partial}", title="Export",
                    timeout=10, markup=False)
