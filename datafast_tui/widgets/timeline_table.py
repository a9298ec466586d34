"""The Visitor screen's timeline: a DataTable of pages and goals, newest first, with list keys."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class TimelineTable(DataTable):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, tooltip="Next timeline entry"),
        Binding("k", "cursor_up", "Up", show=False, tooltip="Previous timeline entry"),
        Binding("g", "scroll_top", "Top", show=False, tooltip="Newest entry (top of the timeline)"),
        Binding("G", "scroll_bottom", "Bottom", show=False, tooltip="Oldest entry (bottom of the timeline)"),
    ]
