"""Messages that cross folders: what widgets, screens and dialogs tell the app (or each other).

A widget or screen never calls the app: it posts one of these, and it bubbles up to the
handler that owns the state (the app for the query, the connection and the live count;
the Visitor screen for which visitor is open). Messages a widget only sends to the screen
around it (a table's cursor moved) stay nested in the widget, as Textual's own do.
"""

from __future__ import annotations

from textual.message import Message

from datafast_tui.api.errors import DataFastError
from datafast_tui.api.filters import Filter


class DrillDown(Message):
    """Add a filter to the global query (Enter on any table row)."""

    def __init__(self, filter_: Filter) -> None:
        super().__init__()
        self.filter = filter_


class RemoveFilter(Message):
    """Drop the global filter on `dimension` (Backspace on its chip)."""

    def __init__(self, dimension: str) -> None:
        super().__init__()
        self.dimension = dimension


class AskForFilter(Message):
    """Open the filter dialog, with `dimension` filled in when given."""

    def __init__(self, dimension: str | None = None) -> None:
        super().__init__()
        self.dimension = dimension


class QueryAnswered(Message):
    """A screen's load finished: `problem` is what went wrong with it (None: nothing).

    A 400 is about the query itself: the app shows the server's words in the query bar."""

    def __init__(self, problem: DataFastError | None) -> None:
        super().__init__()
        self.problem = problem


class DataWritten(Message):
    """A write (goal, payment, deletion) went through: every visible screen reloads."""
