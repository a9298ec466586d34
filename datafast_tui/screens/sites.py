"""The Sites screen (`7`): every site at a glance, live and today against yesterday; Enter opens one.

The sites and their figures: data/sites_board.py. The open site answers through the app's
store; every other site through a store of its own, opened on the first load and kept
while the app runs. The board refreshes on its own timer, as often as the rate budget of
the busiest key allows (never more than a quarter of it), and only while it is shown.
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import tzinfo
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import DataTable, Static

from datafast_tui.api.errors import ConfigurationError, DataFastError
from datafast_tui.data.sites_board import SiteChoice, SiteFigures, board_interval, site_choices, site_figures
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.error_advice import advise
from datafast_tui.formatting import change, money, number
from datafast_tui.quiet_work import work
from datafast_tui.safe_text import safe
from datafast_tui.screens.base import DataScreen
from datafast_tui.screens.context import ScreenContext
from datafast_tui.screens.realtime_view import clock_time
from datafast_tui.settings import Connection
from datafast_tui.widgets.list_table import ListTable

if TYPE_CHECKING:
    from datafast_tui.screens import ScreenEntry

#: Each column's title and width: together 80 columns with the cells' padding (the title line says
#: "today so far", so the columns need not).
SITE_WIDTH = 20
COLUMNS = (("Site", SITE_WIDTH), ("Live", 4), ("Visitors", 8), ("vs yest.", 9), ("Revenue", 9), ("vs yest.", 9),
           ("At", 5))


def change_cell(current: float | None, before: float | None) -> Text:
    moved = change(current, before)
    if moved is None:
        return Text("–", style="dim")
    style = "green" if moved.good else ("red" if moved.good is False else "dim")
    return Text(f"{moved.arrow} {moved.text}", style=style)


def site_cells(choice: SiteChoice, figures: SiteFigures | None, zone: tzinfo) -> tuple[Text | str, ...]:
    name = safe(("● " if choice.current else "  ") + choice.label, width=SITE_WIDTH,
                style="bold" if choice.current else "")
    if figures is None:
        return (name, "…", "loading…", "", "", "", "")
    if figures.problem is not None and figures.visitors is None and figures.live is None:
        return (name, "–", Text("✕ failed", style="red"), "", "", "", "")  # the notes under the table say why
    return (name, number(figures.live), number(figures.visitors),
            change_cell(figures.visitors, figures.visitors_before),
            # Text, not str: a DataTable reads a str cell as markup, and the currency is the API's.
            safe(money(figures.revenue, figures.currency)), change_cell(figures.revenue, figures.revenue_before),
            clock_time(figures.at, zone)[:5] + ("!" if figures.problem is not None else ""))


class SitesTable(ListTable):
    """One row per site; Enter opens it."""

    # The screen's action at once, not select_cursor's RowSelected message: a message is handled
    # after keys typed behind Enter ("7 ↓ ⏎ 3" must end on Realtime, not back on the Overview).
    BINDINGS = [Binding("enter", "screen.open_site", "Open site", key_display="⏎",
                        tooltip="Switch to the highlighted site (its Overview)")]


class SitesScreen(DataScreen):
    AUTO_FOCUS = "#sites-table"

    BINDINGS = [
        Binding("enter", "open_site", "Open site", show=False, tooltip="Switch to the highlighted site (its Overview)"),
    ]

    def __init__(self, entry: ScreenEntry) -> None:
        super().__init__(entry)
        self.choices: list[SiteChoice] = []
        self.figures: dict[str, SiteFigures] = {}
        self.problems: list[str] = []
        self.interval: float | None = None
        #: The other sites' stores, by choice: the connection each was opened for, and the store.
        self._stores: dict[str, tuple[Connection, AnalyticsStore]] = {}
        self._timer: Timer | None = None
        self._refreshed_at: float | None = None  # time.monotonic() of the last refresh

    def compose_body(self) -> ComposeResult:
        yield Static("", id="sites-title", markup=False)
        yield SitesTable(id="sites-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="sites-notes", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(DataTable)
        for title, width in COLUMNS:
            table.add_column(title, width=width)

    # -- loading --------------------------------------------------------------------------

    def load_key(self, context: ScreenContext) -> Any:
        return (context.data_version, id(context.store))

    def load(self, context: ScreenContext, *, refresh: bool) -> None:
        self._refresh_board(context)

    def on_screen_suspend(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self._timer is not None or self._refreshed_at is None or self.interval is None:
            return
        # Shown again: the next refresh when it is due, not at once (7 pressed often costs nothing).
        due = self.interval - (time.monotonic() - self._refreshed_at)
        if due <= 0:
            self.reload(refresh=True)
        else:
            self._timer = self.set_timer(due, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        if self.is_current:
            self.reload(refresh=True)

    @work(exclusive=True, group="sites", exit_on_error=False)
    async def _refresh_board(self, context: ScreenContext) -> None:
        app = cast(Any, self.app)
        websites, listing = (), []
        if context.store.is_account_token:
            try:
                websites = (await context.store.websites()).value
            except Exception as exc:  # noqa: BLE001 - the board goes on with the sites it knows
                listing = [f"the account's websites: {advise(exc).title}"]
        choices, problems = site_choices(app.connection, context.settings.config, os.environ, websites)
        # Made anew each refresh (a site that fails says so through its figures, see _draw).
        self.choices, self.problems = choices, problems + listing
        self.interval = board_interval(choices)
        self._refreshed_at = time.monotonic()
        self._draw(context)
        now = context.now()

        async def one(choice: SiteChoice) -> None:
            store = context.store if choice.current else await self._store_for(choice)
            if store is None:
                return
            self.figures[choice.choice] = await site_figures(store, now)
            self._draw(context)

        await asyncio.gather(*(one(c) for c in choices))
        if self.is_current:
            if self._timer is not None:
                self._timer.stop()
            self._timer = self.set_timer(self.interval, self._on_timer)

    async def _store_for(self, choice: SiteChoice) -> AnalyticsStore | None:
        kept = self._stores.get(choice.choice)
        if kept is not None and kept[0] == choice.connection:
            return kept[1]
        try:
            store = await cast(Any, self.app).open_side_store(choice.connection)
        except Exception as exc:  # noqa: BLE001 - a profile that cannot connect is one row's problem
            problem = exc if isinstance(exc, DataFastError) else ConfigurationError(str(exc))
            self.figures[choice.choice] = SiteFigures(problem=problem)  # its row and a note say why
            return None
        if kept is not None:
            await kept[1].aclose()
        self._stores[choice.choice] = (choice.connection, store)
        return store

    # -- drawing --------------------------------------------------------------------------

    def _draw(self, context: ScreenContext) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for choice in self.choices:
            table.add_row(*site_cells(choice, self.figures.get(choice.choice), context.zone), key=choice.choice)
        if self.choices:
            table.move_cursor(row=min(cursor, len(self.choices) - 1))
        count = len(self.choices)
        every = f"every {self.interval:g} s" if self.interval else ""
        self.query_one("#sites-title", Static).update(
            f"{count} site{'s' if count != 1 else ''} · today so far vs yesterday at this time · {every} · ⏎ open")
        notes = list(self.problems)
        for choice in self.choices:
            figures = self.figures.get(choice.choice)
            if figures is not None and figures.problem is not None:
                advice = advise(figures.problem)
                notes.append(f"{choice.label}: {advice.title}: {advice.detail}")
        if count == 1:
            notes.append("Only this site: add [sites.NAME] profiles to the config file, or use an account"
                         " token (dft_…) to see every website of the account here.")
        self.query_one("#sites-notes", Static).update("\n".join(notes))

    # -- actions --------------------------------------------------------------------------

    def action_open_site(self) -> None:
        table = self.query_one(DataTable)
        if not self.choices or table.cursor_row >= len(self.choices):
            return
        choice = self.choices[table.cursor_row]
        app = cast(Any, self.app)
        if not choice.current:
            app.use_connection(choice.connection)
        app.action_mode("overview")

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_site()

    async def on_unmount(self) -> None:
        for _, store in self._stores.values():
            await store.aclose()
