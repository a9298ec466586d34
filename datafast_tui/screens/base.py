"""The shell every screen shares, and the rule for when a screen loads.

A screen loads when it is shown and what it depends on (the app's query, the store) has
changed since it last loaded; while hidden it ignores changes and catches up when shown.
So changing a filter reloads the visible screen at once and the others only when opened.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import TYPE_CHECKING, cast

from textual._context import active_app
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from datafast_tui.api.errors import DataFastError
from datafast_tui.error_advice import advise
from datafast_tui.formatting import age_seconds
from datafast_tui.messages import QueryAnswered
from datafast_tui.widgets.header import AppHeader
from datafast_tui.widgets.key_footer import KeyFooter
from datafast_tui.widgets.query_bar import QueryBar

#: Seconds within which a second refresh of the same data is covered by the first.
REFRESH_COALESCE = 2.0

if TYPE_CHECKING:
    from datafast_tui.screens import ScreenEntry
    from datafast_tui.screens.context import ContextSource, ScreenContext


class ScreenMessage(Static):
    """A full-width notice at the top of a screen body (401, offline, nothing to show)."""

    DEFAULT_CSS = """
    ScreenMessage { height: auto; padding: 0 1; display: none; }
    ScreenMessage.error { background: $error-muted; color: $text; display: block; }
    ScreenMessage.info { background: $boost; color: $text-muted; display: block; }
    """

    def show_error(self, error: BaseException, *, age: float | None = None) -> None:
        """The error's advice; `age` (seconds): old data is still shown, say how old."""
        advice = advise(error)
        shown = f" Showing data from {age_seconds(age)} ago." if age is not None else ""
        self.update(f"{advice.title}: {advice.detail}{shown}")
        self.set_classes("error")

    def show_info(self, text: str) -> None:
        self.update(text)
        self.set_classes("info")

    def clear(self) -> None:
        self.update("")
        self.set_classes("")


class DataScreen(Screen[None]):
    """A screen of the registry: the shared shell, and `load` called when what it shows is out of date."""

    def __init__(self, entry: ScreenEntry) -> None:
        super().__init__()
        self.entry = entry
        # The app's stylesheet already holds this screen's rules (see DataFastApp.CSS_PATH) with
        # the current theme: without this a new mode re-parses every stylesheet and restyles
        # every screen (App._init_mode calls refresh_css for a screen of another CSS count).
        app = active_app.get(None)
        if app is not None:
            self._css_update_count = app._css_update_count  # noqa: SLF001
        self._loaded_for: Hashable = None
        self._refreshed: tuple[Hashable, float] = (None, -REFRESH_COALESCE)  # the last refresh: key, when

    @property
    def context(self) -> ScreenContext | None:
        """The app's state now (store, query, zone, currency, clock); None until a store is open."""
        return cast("ContextSource", self.app).screen_context()

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield QueryBar(interactive=self.entry.uses_query)
        yield ScreenMessage("", markup=False, id="screen-message")
        yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    @property
    def message(self) -> ScreenMessage:
        return self.query_one("#screen-message", ScreenMessage)

    def on_mount(self) -> None:
        if self.entry.uses_query:
            self.watch(self.app, "query", lambda _: self._maybe_load(), init=False)
        self.watch(self.app, "store_generation", lambda _: self._maybe_load(), init=False)
        self.watch(self.app, "data_generation", lambda _: self._maybe_load(), init=False)
        self._maybe_load()

    def on_screen_resume(self) -> None:
        self._maybe_load()
        self.call_after_refresh(self.ensure_focus)

    def on_resize(self) -> None:
        self.call_after_refresh(self.ensure_focus)

    def ensure_focus(self) -> None:
        """Put the focus back on the screen's main widget (AUTO_FOCUS) when it is on nothing usable.

        "Nothing usable": a widget removed while the screen was away (a chip recomposed on a
        resize), hidden, or disabled. The keys of a screen reach the app through the focused
        widget's ancestors, so a removed one took every key with it.
        """
        chain = self.focus_chain
        focused = self.focused
        if focused is not None and focused.is_attached and focused in chain:
            return
        self.set_focus(None)
        # AUTO_FOCUS may name several widgets ("#timeline, #visitor-picks"): the first one shown.
        preferred = [w for w in self.query(self.AUTO_FOCUS) if w in chain] if self.AUTO_FOCUS else []
        target = preferred[0] if preferred else (chain[0] if chain else None)
        if target is not None:
            self.set_focus(target)

    def load_key(self, context: ScreenContext) -> Hashable:
        """What the shown data depends on; a change of it means a reload."""
        return (context.data_version, context.query if self.entry.uses_query else None)

    def _maybe_load(self) -> None:
        context = self.context
        if not self.is_current or context is None:
            return
        key = self.load_key(context)
        if key != self._loaded_for:
            self._loaded_for = key
            self.load(context, refresh=False)

    def reload(self, *, refresh: bool = True) -> None:
        """Load again now (r, auto-refresh); `refresh` bypasses the cache.

        A burst of `r` is one refresh: one asked within REFRESH_COALESCE seconds of the last,
        for the same thing, while that one's requests are still on their way, is covered by it.
        (Once they are answered, or failed, `r` asks again at once.)
        """
        context = self.context
        if context is None:
            return
        key = self.load_key(context)
        now = time.monotonic()
        if refresh and key == self._refreshed[0] and now - self._refreshed[1] < REFRESH_COALESCE \
                and context.store.status.loading:
            return
        if refresh:
            self._refreshed = (key, now)
        self._loaded_for = key
        self.load(context, refresh=refresh)

    def load(self, context: ScreenContext, *, refresh: bool) -> None:
        """Start loading (in a worker) for `context`. Subclasses implement."""

    def report(self, problem: DataFastError | None) -> None:
        """Tell the app what the last load learned about the query (a 400 shows in the query bar)."""
        self.post_message(QueryAnswered(problem))
