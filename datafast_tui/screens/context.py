"""What a screen gets from the app: one small, typed snapshot of the state it loads and draws with.

A screen never reaches into the app for the store, the query or the site's timezone: it
asks for a `ScreenContext` when it starts to load and hands that value to its workers, so
every number of one load answers one query, in one timezone, from one store. There is no
context until a store is open, which is the only "not connected yet" check screens need.
Screens tell the app things by posting messages (datafast_tui/messages.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Protocol

from datafast_tui.api.models import SiteMetadata
from datafast_tui.api.query import Query
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.settings import Settings


@dataclass(frozen=True)
class ScreenContext:
    store: AnalyticsStore
    query: Query
    #: The site's timezone (or --timezone): days start at its midnight, times are shown in it.
    zone: tzinfo
    #: Its IANA name, for the words on screen ("times in Europe/Paris").
    zone_name: str
    #: The site's currency code, None until the metadata came.
    currency: str | None
    site: SiteMetadata | None
    #: Whether this is the embedded demo.
    demo: bool
    clock: Callable[[], datetime]
    settings: Settings
    #: (store opened, writes made): grows when another store opens or a write changed the data.
    data_version: tuple[int, int] = (0, 0)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today in the site's timezone."""
        return self.clock().astimezone(self.zone).date()

    @property
    def site_label(self) -> str:
        """What names the site in files and lists: its domain, or "demo"."""
        if self.demo:
            return "demo"
        return self.site.domain if self.site is not None and self.site.domain else "site"


class ContextSource(Protocol):
    """The app as a screen sees it (DataFastApp): the context, and what holds before a store is open."""

    settings: Settings
    query: Query

    def screen_context(self) -> ScreenContext | None:
        """The current context, or None while no store is open."""

    def show_live_count(self, visitors: int) -> None:
        """The header's live count, from a screen that polls it itself (Realtime): set at once, so
        it is painted in the same frame as the poll's other news (a message came a frame later)."""

    def open_visitor(self, visitor_id: str) -> None:
        """Show one visitor in the Visitor screen (at once: see LiveList.on_choose)."""

    def take_requested_visitor(self) -> str | None:
        """The visitor another screen asked to open, once (then None)."""
