"""A small "top 5" table (pages, referrers, countries) whose rows drill down on Enter."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from datafast_tui.api.filters import Filter
from datafast_tui.formatting import number
from datafast_tui.safe_text import clean, safe


@dataclass(frozen=True)
class TopRow:
    label: str  # shown (already the part of the row that matters, e.g. the path)
    visitors: int
    filter: Filter | None  # what Enter adds; None when the row cannot be filtered on


class DrillDown(Message):
    """Ask the app to add a filter (from any table row)."""

    def __init__(self, filter_: Filter) -> None:
        super().__init__()
        self.filter = filter_


class TopTable(Vertical):
    DEFAULT_CSS = """
    TopTable { width: 1fr; height: 100%; margin-right: 1; }
    TopTable:last-of-type { margin-right: 0; }
    TopTable > .title { height: 1; color: $text-accent; text-style: bold; }
    TopTable > DataTable { height: 1fr; background: $surface; }
    TopTable > .message { color: $text-muted; height: 1fr; }
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self._rows: list[TopRow] = []

    def compose(self) -> ComposeResult:
        yield Static(self.title, classes="title", markup=False)
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, show_cursor=True)
        yield table
        yield Static("", classes="message", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("", key="label")
        table.add_column(Text("Visitors", justify="right"), key="visitors", width=8)
        self.query_one(".message").display = False

    def on_resize(self) -> None:
        self._fill()

    def show_rows(self, rows: list[TopRow]) -> None:
        self._rows = rows
        self.query_one(".message").display = False
        self.query_one(DataTable).display = True
        self._fill()

    def show_message(self, message: str) -> None:
        self._rows = []
        self.query_one(DataTable).display = False
        message_widget = self.query_one(".message", Static)
        message_widget.update(clean(message))
        message_widget.display = True

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        # Room for the label: the table less the visitors column and the cell padding.
        label_width = max(6, self.size.width - 8 - 5)
        table.clear()
        for index, row in enumerate(self._rows):
            table.add_row(safe(row.label, width=label_width, placeholder="(none)"),
                          Text(number(row.visitors), justify="right"), key=str(index))
        if not self._rows:
            table.add_row(Text("no data", style="dim"), Text(""))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = int(event.row_key.value or -1) if event.row_key.value is not None else -1
        if 0 <= index < len(self._rows) and self._rows[index].filter is not None:
            self.post_message(DrillDown(self._rows[index].filter))
