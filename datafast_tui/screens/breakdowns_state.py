"""The state of one Breakdowns tab: its rows for the current query, its sort, search and cursor.

Plain code (no Textual): the screen keeps one `TabState` per endpoint and draws from it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from datafast_tui.api.catalogue import BreakdownSpec
from datafast_tui.api.errors import DataFastError
from datafast_tui.api.models import BreakdownRow
from datafast_tui.api.query import Query
from datafast_tui.data.breakdown_columns import Column, columns_for
from datafast_tui.data.breakdown_rows import API_ORDER, BreakdownRows, SortOrder, needs_all_rows
from datafast_tui.screens.breakdowns_view import cell_text, measure, shown_columns


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
    view: list[BreakdownRow] = field(default_factory=list)
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
        the columns stay the same), then the view."""
        assert self.rows is not None
        columns = columns_for(self.endpoint, self.rows.rows)
        shown = shown_columns(self.endpoint, columns, self.rows.rows)
        if shown != self.shown or not self.widths:
            self.widths = measure(shown, self.rows.rows, currency, self.endpoint)
        else:
            self.widths = measure(shown, new_rows, currency, self.endpoint, self.widths)
        self.columns, self.shown = columns, shown
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
