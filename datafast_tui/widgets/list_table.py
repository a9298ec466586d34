"""A DataTable of rows with the list keys (j k g G) and its own words for Enter, for the help."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable

from datafast_tui.widgets.copy_keys import COPY_BINDING, CopyRow


class ListTable(CopyRow, DataTable):
    BINDINGS = [
        COPY_BINDING,
        Binding("j", "cursor_down", "Down", show=False, tooltip="Next row"),
        Binding("k", "cursor_up", "Up", show=False, tooltip="Previous row"),
        Binding("g", "scroll_top", "Top", show=False, tooltip="First row"),
        Binding("G", "scroll_bottom", "Bottom", show=False, tooltip="Last row"),
    ]

