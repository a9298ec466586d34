"""`y` on any table: the highlighted row (or the highlighted cell, where the table has a cell
cursor) goes to the clipboard, with a toast saying what was copied.

Textual writes it as OSC 52, which the terminal turns into a clipboard write: it works over
SSH and, with tmux's `set-clipboard on` (its default for terminals that allow it), inside
tmux. Cells of a row are joined by tabs, so a row pastes into a spreadsheet as cells. The text
is cleaned of control characters first: an API string never reaches the terminal raw, not
even inside an escape sequence.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget

if TYPE_CHECKING:  # not at run time: the Overview's top tables need this module, not DataTable
    from textual.widgets import DataTable

from datafast_tui.safe_text import clean, shorten_middle

COPY_BINDING = Binding("y", "copy", "Copy", show=False,
                       tooltip="Copy the highlighted row (or cell) to the clipboard (OSC 52: works over SSH)")
#: The toast shows this much of what was copied.
PREVIEW = 60


def plain(cell: object) -> str:
    """A cell's text as shown, without its styles."""
    if isinstance(cell, (Text, Content)):
        return cell.plain
    return "" if cell is None else str(cell)


def cell_text(cell: object) -> str:
    """One cell, cleaned: no control characters (a tab inside it would split it in two)."""
    return clean(plain(cell)).strip()


def row_text(cells: Iterable[object]) -> str:
    return "\t".join(cell_text(c) for c in cells)


def copy_out(widget: Widget, text: str, what: str) -> None:
    """Put `text` (made by `cell_text` / `row_text`: clean) on the clipboard and say so; `what`
    says which part ("row 3", "Visitors of row 2")."""
    if not text.strip():
        widget.notify("Nothing to copy here", severity="warning", timeout=3, markup=False)
        return
    widget.app.copy_to_clipboard(text)
    shown = shorten_middle(text.replace("\t", "  ·  "), PREVIEW)
    widget.notify(f"Copied {what}: {shown}", title="Copy", timeout=4, markup=False)


def copy_data_table_row(table: DataTable) -> None:
    """The highlighted row of a DataTable (the People list, the funnels, the visitor's timeline)."""
    if table.row_count == 0:
        copy_out(table, "", "")
        return
    row = table.cursor_coordinate.row
    copy_out(table, row_text(table.get_row_at(row)), f"row {row + 1}")


class CopyRow:
    """For DataTable subclasses: `y` copies the highlighted row."""

    def action_copy(self) -> None:
        copy_data_table_row(self)  # type: ignore[arg-type]
