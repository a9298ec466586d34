"""The app's saved-view keys: `b` saves what is on screen, `'` recalls a view, the palette lists them.

A mixin of DataFastApp (kept apart: app.py is long enough). The views live in the config
file (views.py); the app holds this site's views in memory so a saved one is at once
recallable, and writes the file in a thread (never on the event loop).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import replace

from textual.app import SystemCommand
from textual.binding import Binding

from datafast_tui.api.query import Query
from datafast_tui.config import ConfigError
from datafast_tui.query_flags import read_query_flags
from datafast_tui.quiet_work import work
from datafast_tui.safe_text import clean, escape_markup
from datafast_tui.views import SavedView, ViewError, save_view, site_key, view_from

VIEW_BINDINGS = [
    Binding("b", "save_view", "Save view", show=False,
            tooltip="Save the range, filters, compare, screen and tab under a name (' recalls it)"),
    Binding("apostrophe", "recall_view", "Views", show=False, tooltip="Saved views: then a view's letter opens it"),
]


class ViewActions:
    """Mixed into DataFastApp (not imported here: app.py imports this module): uses its query,
    settings, connection, clock, site zone, screens and `_site_views`."""

    def _views(self) -> dict[str, SavedView]:
        if self._site_views is None:
            connection = self.connection
            self._site_views = dict(self.settings.config.views_of(site_key(connection.profile, connection.demo)))
        return self._site_views

    def _current_tab(self) -> str | None:
        from datafast_tui.screens.breakdowns import BreakdownsScreen

        screen = self.screen
        return screen.endpoint if isinstance(screen, BreakdownsScreen) else None

    def action_save_view(self) -> None:
        from datafast_tui.dialogs.views import SaveViewDialog

        mode = self.current_mode or "overview"
        tab = self._current_tab()
        query = self.query
        words = [mode + (f" · {tab}" if tab else ""), query.range.label(self.site_zone),
                 *(f.describe() for f in query.filters), *(["compared"] if query.compare else [])]
        taken = {view.key: name for name, view in self._views().items() if view.key}
        self.push_screen(SaveViewDialog(clean(" · ".join(words)), taken),
                         lambda answer: self._save_view(answer, query, mode, tab) if answer else None)

    @work(exclusive=True, group="save-view", exit_on_error=False)
    async def _save_view(self, answer: tuple[str, str | None], query: Query, mode: str,
                         tab: str | None) -> None:
        name, key = answer
        try:
            view = view_from(name, key, rng=query.range, filters=query.filters, compare=query.compare,
                             screen=mode, tab=tab)
            site = site_key(self.connection.profile, self.connection.demo)
            await asyncio.to_thread(save_view, self.settings.config.path, site, view)
        except ViewError as problem:
            self.notify(f"View not saved: {problem}", severity="error", timeout=10, markup=False)
            return
        views = self._views()
        if key:
            for other, old in list(views.items()):
                if other != name and old.key == key:
                    views[other] = replace(old, key=None)
        views[name] = view
        recall = f" (' {key} recalls it)" if key else " (' lists it)"
        self.notify(f"Saved view {name!r}{recall} in {self.settings.config.path}", title="Views", timeout=6,
                    markup=False)

    def action_recall_view(self) -> None:
        from datafast_tui.dialogs.views import ViewPicker

        self.push_screen(ViewPicker(self._views()), lambda name: self.apply_view(name) if name else None)

    def apply_view(self, name: str) -> None:
        """Show the view `name`: its range (a preset as of now), filters, compare, then its screen and tab."""
        view = self._views().get(name)
        if view is None:
            return
        try:  # the view's flags, read as --view reads them
            flags = read_query_flags(view.flags())
        except ConfigError as problem:  # the file was edited by hand since it was read
            self.notify(f"View {name!r} cannot be shown: {problem}", severity="error", markup=False)
            return
        query = flags.query("last_30_days", self.clock(), self.site_zone, self.query.timezone)
        query = replace(query, compare=query.compare and query.comparison() is not None)
        self.query = query
        self.action_mode(view.screen)
        if view.tab:
            self.call_after_refresh(self._show_tab, view.tab)
        self.notify(f"View {name!r}", timeout=3, markup=False)

    def _show_tab(self, endpoint: str) -> None:
        from datafast_tui.screens.breakdowns import BreakdownsScreen

        if isinstance(self.screen, BreakdownsScreen):
            self.screen.select_tab(endpoint)

    def view_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Save view…", "Save the range, filters, compare, screen and tab (b)",
                            self.action_save_view)
        for name, view in sorted(self._views().items()):
            key = f" (' {view.key})" if view.key else ""
            # The palette parses titles as markup: a name from the file stays text.
            yield SystemCommand(f"View: {escape_markup(name)}{key}", escape_markup(view.describe()),
                                lambda n=name: self.apply_view(n))
