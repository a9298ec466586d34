"""The Visitor screen's timeline: a DataTable of pages and goals, newest first, with list keys."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable


class TimelineTable(DataTable):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, tooltip="Next timeline entry"),
        Binding("k", "cursor_up", "Up", show=False, tooltip="Previous timeline entry"),
        Binding("g", "scroll_top", "Top", show=False, tooltip="Newest entry (top of the timeline)"),
        Binding("G", "scroll_bottom", "Bottom", show=False, tooltip="Oldest entry (bottom of the timeline)"),
    ]

    class Resized(Message):
        """Its room for cells changed (a resize, its scrollbar came or went): the columns were
        laid out for another width and must be again."""

        def __init__(self, width: int) -> None:
            super().__init__()
            self.width = width

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized(self.content_size.width))
