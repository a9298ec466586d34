"""A screen that is planned but not built yet: says so plainly instead of failing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Static

from datafast_tui.screens.base import DataScreen

PLANNED = {
    "breakdowns": ("Breakdowns", "All eleven breakdowns as sortable, drillable, exportable tables."),
    "realtime": ("Realtime", "Live visitors, events and payments with controllable refresh."),
    "visitor": ("Visitor", "Look up one visitor; create goals and payments; delete with confirmation."),
}


class ComingScreen(DataScreen):
    USES_QUERY = False

    DEFAULT_CSS = """
    ComingScreen .coming { width: 60; max-width: 100%; height: auto; padding: 1 2; border: round $primary; }
    """

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode
        self.SCREEN_TITLE, self.description = PLANNED[mode]

    def compose_body(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(
                f"{self.SCREEN_TITLE} — coming soon\n\n{self.description}\n\n"
                "1 Overview is ready now; ? lists the keys.",
                classes="coming", markup=False,
            )
