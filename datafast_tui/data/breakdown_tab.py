"""One Breakdowns tab as plain data: its rows for a query, sort, search and cursor, and how it loads.

Plain code (no Textual): the screen keeps one `TabState` per endpoint, runs the loading
functions below in its workers and draws from the state.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from datafast_tui.api.catalogue import BreakdownSpec
from datafast_tui.api.errors import DataFastError
from datafast_tui.api.models import BreakdownRow
from datafast_tui.api.query import Query
from datafast_tui.data.breakdown_cells import cell_text, measure, shown_columns
from datafast_tui.data.breakdown_columns import Column, columns_for
from datafast_tui.data.breakdown_compare import load_previous
from datafast_tui.data.breakdown_loading import (
    PAGE_SIZE,
    load_page,
    load_rest,
    total_visitors,
)
from datafast_tui.data.breakdown_rows import (
    API_ORDER,
    BreakdownRows,
    SortOrder,
    needs_all_rows,
)
from datafast_tui.data.store import AnalyticsStore


@dataclass
class TabState:
    tab: BreakdownSpec
    order: SortOrder = API_ORDER
    search: str = ""
    rows: BreakdownRows | None = None
    #: The first page failed: there is nothing to show but this.
    error: DataFastError | None = None
    #: Rows are shown but something is wrong with them: stale (served from the cache after a
    #: failure), or a later page failed.
    problem: DataFastError | None = None
    #: When the rows shown were fetched, if the cache served them after a failure (wall clock).
    stale_since: float | None = None
    total_visitors: float | None = None
    columns: tuple[Column, ...] = ()
    shown: tuple[Column, ...] = ()
    widths: list[int] = field(default_factory=list)
    view: Sequence[BreakdownRow] = field(default_factory=list)
    cursor: int = 0
    #: While every row is being fetched: (rows received, total).
    progress: tuple[int, int] | None = None

    @property
    def endpoint(self) -> str:
        return self.tab.endpoint

    def current_for(self, query: Query) -> bool:
        """Whether the rows held answer `query` (else they belong to an earlier one)."""
        return self.rows is not None and self.rows.query == query

    @property
    def lacks_previous(self) -> bool:
        """Compare is on but the previous period's rows did not come (the kept answers of the last
        start, or a failed request): the next load asks again."""
        rows = self.rows
        return (rows is not None and rows.previous is None and rows.query.compare
                and rows.query.comparison() is not None)

    @property
    def total(self) -> int | None:
        return self.rows.shown_total if self.rows is not None and self.rows.total is not None else None

    @property
    def sortable_columns(self) -> tuple[Column, ...]:
        """The columns `s` walks: those shown, or before any row came, those the docs list."""
        return self.shown or shown_columns(self.endpoint, columns_for(self.endpoint, []), [])

    @property
    def needs_more(self) -> bool:
        """The sort or search asks for every row and some are still missing."""
        return (self.rows is not None and not self.rows.complete
                and needs_all_rows(self.order, self.search))

    def start(self, rows: BreakdownRows, currency: str | None) -> None:
        """Take the first page (already added to `rows`): new columns, widths and view."""
        self.rows = rows
        self.error = None
        self.progress = None
        self.widths = []
        self.columns = ()
        self.rows_added(rows.rows, currency)

    def rows_added(self, new_rows: list[BreakdownRow], currency: str | None) -> None:
        """Columns and widths after more rows arrived (measured on the new rows only when
        the columns stay the same), the sort keys and orders of the columns shown (so that
        `s` and a header click only read them), then the view."""
        assert self.rows is not None
        columns = columns_for(self.endpoint, self.rows.rows)
        shown = shown_columns(self.endpoint, columns, self.rows.rows)
        if shown != self.shown or not self.widths:
            self.widths = measure(shown, self.rows.rows, currency, self.endpoint)
        else:
            self.widths = measure(shown, new_rows, currency, self.endpoint, self.widths)
        self.columns, self.shown = columns, shown
        self.rows.prepare(shown)
        self.refresh_view()

    def refresh_view(self) -> None:
        self.view = self.rows.view(self.columns, self.order, self.search) if self.rows is not None else []
        self.cursor = max(0, min(self.cursor, len(self.view) - 1))

    def stale_age(self) -> float | None:
        """Seconds since the stale rows shown were fetched (None: they are not stale)."""
        return None if self.stale_since is None else max(0.0, time.time() - self.stale_since)

    def cell(self, row: int, column: int, currency: str | None) -> str:
        return cell_text(self.shown[column], self.view[row], self.total_visitors, currency, endpoint=self.endpoint)

    def fail(self, error: DataFastError) -> None:
        """The first page failed: forget rows of an earlier query, keep the sort and search."""
        self.rows = None
        self.error = error
        self.problem = None
        self.stale_since = None
        self.view = []
        self.progress = None


# -- loading policy -------------------------------------------------------------------------
#
# The screen runs these in one exclusive worker group, so a new tab or query cancels what the
# last one was fetching (the store keeps requests others wait for). Each ends by fetching
# every row when the tab's sort or search asks for it. They tell the screen what to redraw
# through a TabListener; nothing here knows about Textual.


class TabListener(Protocol):
    """What the screen redraws as a tab loads (it draws only the tab on screen)."""

    def tab_changed(self, state: TabState) -> None:
        """Rows, columns or the error changed: redraw the tab."""

    def tab_progress(self, state: TabState) -> None:
        """Only `state.progress` changed: redraw the counters."""

    def tab_totals(self, state: TabState) -> None:
        """The visitor total came: the share column can be filled in."""


async def load_first_page(state: TabState, store: AnalyticsStore, query: Query, currency: str | None,
                          listener: TabListener, *, page_size: int = PAGE_SIZE, refresh: bool = False) -> None:
    """The first page of the tab for `query`, then every row if its sort or search needs them.

    A refresh (r, or the automatic one) fetches again as many rows as were shown, so a cursor
    on row 4,000 stays there. Rows of an earlier query are dropped at once, never shown under
    the new one.
    """
    totals = asyncio.ensure_future(total_visitors(store, query, refresh=refresh))
    # With compare on, the previous period's rows come beside the first page (one request).
    previous = asyncio.ensure_future(load_previous(store, state.endpoint, query, refresh=refresh))
    keep = state.rows.received if state.rows is not None and state.current_for(query) else 0
    try:
        if not state.current_for(query):
            state.view, state.rows = [], None
            listener.tab_changed(state)
        rows = BreakdownRows(state.endpoint, query)
        try:
            result = await load_page(store, rows, page_size=page_size, refresh=refresh)
        except DataFastError as error:
            state.fail(error)
            listener.tab_changed(state)
            return
        problem = result.error
        if keep > rows.received and not rows.complete:
            try:
                await load_rest(store, rows, page_size=page_size, refresh=refresh, until=keep)
            except DataFastError as error:
                problem = error
        rows.set_previous(await previous)
        state.start(rows, currency)
        state.problem = problem
        state.stale_since = result.fetched_at if result.stale else None
        listener.tab_changed(state)
        state.total_visitors = await totals
        listener.tab_totals(state)
        if state.needs_more:
            await _every_row(state, store, currency, listener, page_size, refresh)
    finally:
        totals.cancel()
        previous.cancel()
        _done(state, listener)


async def load_next_page(state: TabState, store: AnalyticsStore, currency: str | None, listener: TabListener,
                         *, page_size: int = PAGE_SIZE) -> None:
    """One more page (n, or the cursor near the end); every row if a sort or search came meanwhile."""
    rows = state.rows
    if rows is None or rows.complete:
        return
    before = len(rows.rows)
    try:
        try:
            result = await load_page(store, rows, page_size=page_size)
            state.problem = result.error
            state.stale_since = result.fetched_at if result.stale else None
        except DataFastError as error:
            state.problem = error
        state.rows_added(rows.rows[before:], currency)
        listener.tab_changed(state)
        if state.needs_more and state.problem is None:
            await _every_row(state, store, currency, listener, page_size, False)
    finally:
        _done(state, listener)


async def load_every_row(state: TabState, store: AnalyticsStore, currency: str | None, listener: TabListener,
                         *, page_size: int = PAGE_SIZE) -> None:
    """Every row not yet held (a sort or search that needs them all), with progress."""
    try:
        await _every_row(state, store, currency, listener, page_size, False)
    finally:
        _done(state, listener)


async def _every_row(state: TabState, store: AnalyticsStore, currency: str | None, listener: TabListener,
                     page_size: int, refresh: bool) -> None:
    rows = state.rows
    if rows is None:
        return
    before = len(rows.rows)

    def progress(received: int, total: int) -> None:
        state.progress = (received, total)
        listener.tab_progress(state)

    progress(rows.received, rows.shown_total)
    try:
        await load_rest(store, rows, page_size=page_size, refresh=refresh, on_progress=progress)
    except DataFastError as error:
        state.problem = error
    state.progress = None
    state.rows_added(rows.rows[before:], currency)
    listener.tab_changed(state)


def _done(state: TabState, listener: TabListener) -> None:
    state.progress = None
    listener.tab_progress(state)
