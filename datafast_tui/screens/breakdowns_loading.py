"""The Breakdowns screen's loading: the first page of the visible tab, more pages, every page.

All three are workers of one exclusive group, so a new tab or query cancels what the last
one was fetching (the store keeps requests others wait for). Each ends by fetching every
row when the tab's sort or search asks for it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import work

from datafast_tui.api.errors import DataFastError
from datafast_tui.data.breakdown_loading import load_page, load_rest, total_visitors
from datafast_tui.data.breakdown_rows import BreakdownRows
from datafast_tui.screens.breakdowns_state import TabState

if TYPE_CHECKING:
    from datafast_tui.screens.breakdowns import BreakdownsScreen


class LoadingMixin:
    """Loading workers for BreakdownsScreen."""

    def load(self: BreakdownsScreen, *, refresh: bool) -> None:
        query = self.df_app.query
        for state in self.states.values():
            if not state.current_for(query):
                self._label(state)  # totals of an earlier query are not this one's
        state = self.state
        if not refresh and state.current_for(query) and state.error is None:
            self._draw()
            if state.needs_more:
                self._fetch_rest(state)
            return
        self._fetch_first(state, refresh)

    @property
    def fetching(self: BreakdownsScreen) -> bool:
        """A fetch for the visible tab is running or about to (a worker not started yet counts)."""
        return any(w.group == "breakdowns" and w.node is self and not w.is_finished for w in self.workers)

    def _done(self: BreakdownsScreen, state: TabState) -> None:
        state.progress = None
        if state is self.state:
            self._draw_status()

    @work(exclusive=True, group="breakdowns", exit_on_error=False)
    async def _fetch_first(self: BreakdownsScreen, state: TabState, refresh: bool) -> None:
        store, query = self.df_app.store, self.df_app.query
        if store is None:
            return
        totals = asyncio.ensure_future(total_visitors(store, query, refresh=refresh))
        # A refresh (r, or the automatic one) fetches again as many rows as were shown, so the
        # cursor on row 4,000 stays there.
        keep = state.rows.received if state.rows is not None and state.current_for(query) else 0
        try:
            if not state.current_for(query):
                state.view, state.rows = [], None
                self._draw()
            rows = BreakdownRows(state.endpoint, query)
            try:
                result = await load_page(store, rows, page_size=self.page_size, refresh=refresh)
            except DataFastError as error:
                state.fail(error)
                self._draw()
                return
            problem = result.error
            if keep > rows.received and not rows.complete:
                try:
                    await load_rest(store, rows, page_size=self.page_size, refresh=refresh, until=keep)
                except DataFastError as error:
                    problem = error
            state.start(rows, self.df_app.currency)
            state.problem = problem
            state.stale_since = result.fetched_at if result.stale else None
            self._draw()
            state.total_visitors = await totals
            self.table.refresh()
            if state.needs_more:
                await self._load_rest(state, refresh)
        finally:
            totals.cancel()
            self._done(state)

    @work(exclusive=True, group="breakdowns", exit_on_error=False)
    async def _fetch_rest(self: BreakdownsScreen, state: TabState) -> None:
        try:
            await self._load_rest(state, False)
        finally:
            self._done(state)

    async def _load_rest(self: BreakdownsScreen, state: TabState, refresh: bool) -> None:
        store, rows = self.df_app.store, state.rows
        if store is None or rows is None:
            return
        before = len(rows.rows)

        def progress(received: int, total: int) -> None:
            state.progress = (received, total)
            if state is self.state:
                self._draw_status()

        progress(rows.received, rows.shown_total)
        try:
            await load_rest(store, rows, page_size=self.page_size, refresh=refresh, on_progress=progress)
        except DataFastError as error:
            state.problem = error
        state.progress = None
        state.rows_added(rows.rows[before:], self.df_app.currency)
        if state is self.state:
            self._draw()

    @work(exclusive=True, group="breakdowns", exit_on_error=False)
    async def _fetch_more(self: BreakdownsScreen, state: TabState) -> None:
        store, rows = self.df_app.store, state.rows
        if store is None or rows is None or rows.complete:
            return
        before = len(rows.rows)
        try:
            try:
                result = await load_page(store, rows, page_size=self.page_size)
                state.problem = result.error
                state.stale_since = result.fetched_at if result.stale else None
            except DataFastError as error:
                state.problem = error
            state.rows_added(rows.rows[before:], self.df_app.currency)
            if state is self.state:
                self._draw()
            if state.needs_more and state.problem is None:  # a sort or search came meanwhile
                await self._load_rest(state, False)
        finally:
            self._done(state)
