"""The screen registry: one entry per screen, from which the app builds everything else.

Adding a screen is one `ScreenEntry` here (and the screen's own files): the app makes its
mode, its number key, its "Go to" and other palette commands, its help title and the
`--screen` choice from the entry; capabilities are the entry's typed fields, never looked
up by name on the screen.

This file imports no Textual and no screen when it runs: settings and the command line read
the names without paying for the UI, and a screen's module is imported the first time it is
shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class PaletteCommand:
    """A command palette entry that opens the screen and runs one of its actions."""

    title: str
    help: str
    action: str


@dataclass(frozen=True)
class ScreenEntry:
    #: The key that opens it from anywhere ("1").
    key: str
    #: Its mode name, also the value of `--screen`.
    name: str
    #: Shown in the help, the palette and the footer.
    title: str
    #: What it is for, in the help and the palette.
    tooltip: str
    #: "module:Class" of the screen, imported when first shown.
    screen: str
    #: Whether it follows the global query (range, filters, compare); when False a change
    #: of the query does not reload it.
    uses_query: bool = True
    #: Whether it shows the previous period when compare is on (`c` is then its own key).
    compares: bool = True
    #: Whether it polls the live visitor count itself while open (the app's own header poll
    #: then stays quiet, so the rate budget is not spent twice).
    owns_live_count: bool = False
    #: Palette entries that run an action of this screen (switching to it first).
    commands: tuple[PaletteCommand, ...] = ()

    @property
    def stylesheet_name(self) -> str:
        """Its stylesheet in styles/ (the app loads them all at start, see DataFastApp.CSS_PATH)."""
        return f"{self.name}.tcss"

    def screen_class(self) -> Callable[[ScreenEntry], Screen]:
        """The screen's class (a DataScreen, built with its entry), imported now."""
        module, _, name = self.screen.partition(":")
        return getattr(import_module(module), name)  # type: ignore[no-any-return]

    def build(self) -> Screen:
        """A new screen for this entry (what the app's MODES call)."""
        return self.screen_class()(self)


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("1", "overview", "Overview", "Overview: KPIs, chart, top tables",
                "datafast_tui.screens.overview:OverviewScreen"),
    ScreenEntry("2", "breakdowns", "Breakdowns", "Breakdowns: every dimension",
                "datafast_tui.screens.breakdowns:BreakdownsScreen"),
    ScreenEntry("3", "realtime", "Realtime", "Realtime: live visitors and events",
                "datafast_tui.screens.realtime:RealtimeScreen", uses_query=False, owns_live_count=True, commands=(
                    PaletteCommand("Realtime: alert log",
                                   "Traffic against its usual level, payments and goals that alerted (3, then a)",
                                   "alert_log"),
                )),
    ScreenEntry("4", "visitor", "Visitor", "Visitor inspector and write actions",
                "datafast_tui.screens.visitor:VisitorScreen", uses_query=False, commands=(
                    PaletteCommand("Visitor: open…", "Look up a visitor by id, or pick a recent one (4, then o)",
                                   "lookup"),
                    PaletteCommand("Visitor: create goal…",
                                   "Create a custom goal for a visitor (n on the Visitor screen)", "new_goal"),
                    PaletteCommand("Visitor: record payment…",
                                   "Record a payment, attributed to a visitor (p on the Visitor screen)",
                                   "new_payment"),
                    PaletteCommand("Visitor: delete goals…",
                                   "Delete goals by visitor, name or time range (x on the Visitor screen)",
                                   "delete_goals"),
                    PaletteCommand("Visitor: delete payments…",
                                   "Delete payments by transaction, visitor or time range (X on the Visitor screen)",
                                   "delete_payments"),
                )),
    ScreenEntry("5", "people", "People", "People: who visited, converted, paid",
                "datafast_tui.screens.people:PeopleScreen", compares=False, commands=(
                    PaletteCommand("People: search…", "Search people by page, goal, place, device, source (s on People)",
                                   "search_form"),
                    PaletteCommand("People: customers only / not / anyone",
                                   "Cycle the People search's customer choice (c on the People screen)",
                                   "cycle_customer"),
                    PaletteCommand("People: export…", "Export the people who match to CSV or JSON (e on People)",
                                   "export"),
                )),
    ScreenEntry("6", "funnels", "Funnels", "Funnels: steps, conversion, drop-off",
                "datafast_tui.screens.funnels:FunnelsScreen", commands=(
                    PaletteCommand("Funnels: open by id…", "Open a funnel by its id (o on the Funnels screen)",
                                   "open_funnel"),
                )),
    ScreenEntry("7", "sites", "Sites", "Sites: every site's live count, today against yesterday",
                "datafast_tui.screens.sites:SitesScreen", uses_query=False, compares=False),
)
SCREEN_NAMES: tuple[str, ...] = tuple(entry.name for entry in SCREENS)
_BY_NAME = {entry.name: entry for entry in SCREENS}


def screen_entry(name: str) -> ScreenEntry:
    """The entry of the screen `name`; KeyError for an unknown name."""
    return _BY_NAME[name]
