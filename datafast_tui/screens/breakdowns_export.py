"""The `e` key of the Breakdowns screen: the export dialog, fetching every row, writing the file.

The export fetches its own copy of the table (every page, through the store's cache, so
pages the screen holds cost nothing) in the order and with the search the screen shows,
then writes it in a thread so the interface never waits on the disk.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from datafast_tui.api.errors import DataFastError
from datafast_tui.data.breakdown_columns import columns_for
from datafast_tui.data.breakdown_export import ExportError, ExportTable, default_filename, write_export
from datafast_tui.data.breakdown_loading import load_rest, total_visitors
from datafast_tui.data.breakdown_rows import BreakdownRows
from datafast_tui.error_advice import advise
from datafast_tui.formatting import number
from datafast_tui.safe_text import clean
from datafast_tui.screens.breakdowns_state import TabState
from datafast_tui.screens.breakdowns_view import sort_words
from datafast_tui.widgets.export_dialog import ExportChoice, ExportDialog
from datafast_tui.widgets.query_bar import range_text

if TYPE_CHECKING:
    from datafast_tui.screens.breakdowns import BreakdownsScreen


class ExportMixin:
    """Export actions for BreakdownsScreen (kept in their own file: one job each)."""

    #: (rows fetched, total) while an export fetches its rows; the status line shows it.
    export_progress: tuple[int, int] | None = None

    def export_dir(self) -> Path:
        """Where the dialog proposes to write: the current directory."""
        return Path.cwd()

    def action_export(self: BreakdownsScreen) -> None:
        state = self.state
        if state.rows is None:
            reason = "it could not be loaded" if state.error is not None else "it is still loading"
            self.notify(f"Nothing to export: {reason}", severity="warning", markup=False)
            return
        query = state.rows.query
        moment = self.df_app.clock().astimezone()  # the user's local time names the file
        filters = ", ".join(clean(f.describe()) for f in query.filters) or "no filters"
        search = state.search.strip()
        rows = f"rows matching “{clean(search)}”" if search else f"all {number(state.rows.shown_total)} rows"
        summary = (f"{rows} · sorted {sort_words(state.shown, state.order)}\n"
                   f"{range_text(query)} · {filters}")
        dialog = ExportDialog(f"Export {state.tab.title}", summary,
                              default_name=default_filename(state.endpoint, moment, "csv"), cwd=self.export_dir())
        self.app.push_screen(dialog, lambda choice: self._export(state, choice) if choice is not None else None)

    @work(exclusive=True, group="export", exit_on_error=False)
    async def _export(self: BreakdownsScreen, state: TabState, choice: ExportChoice) -> None:
        store, source = self.df_app.store, state.rows
        if store is None or source is None:
            return
        query = source.query
        rows = BreakdownRows(state.endpoint, query)

        def progress(received: int, total: int) -> None:
            self.export_progress = (received, total)
            self._draw_status()

        try:
            await load_rest(store, rows, page_size=self.page_size, on_progress=progress)
        except DataFastError as error:
            advice = advise(error)
            self.notify(f"Export stopped after {number(rows.received)} rows: {advice.title}: {advice.detail}",
                        severity="error", timeout=10, markup=False)
            return
        finally:
            self.export_progress = None
            self._draw_status()
        columns = columns_for(state.endpoint, rows.rows)
        visitors = state.total_visitors if state.current_for(query) else await total_visitors(store, query)
        table = ExportTable(
            endpoint=state.endpoint, columns=columns, rows=rows.view(columns, state.order, state.search),
            query=query, order=state.order, search=state.search, total_visitors=visitors,
            currency=self.df_app.currency, site=self.df_app.site.domain if self.df_app.site else None,
            site_timezone=self.df_app.timezone or None,
            exported_at=self.df_app.clock(),
            extra_keys=tuple(sorted({k for r in rows.rows for k, v in r.extra.items() if isinstance(v, str)})),
        )
        try:
            result = await asyncio.to_thread(write_export, table, choice.path, choice.fmt, sidecar=choice.sidecar)
        except ExportError as error:
            self.notify(f"Export failed: {error}", severity="error", timeout=15, markup=False)
            return
        also = f" (the query in {result.sidecar.name})" if result.sidecar is not None else ""
        self.notify(f"Exported {number(result.rows)} rows to {result.path}{also}", title="Export", timeout=10,
                    markup=False)
