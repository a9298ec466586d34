"""The date range menu: one key per preset, or a custom start/end with validation.

Returns the chosen preset's name (`str`) or a custom `DateRange`, or None on Esc.
"""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from datafast_tui.api.dates import PRESETS, DateRange, custom_range
from datafast_tui.api.errors import QueryError
from datafast_tui.dialogs.base import Dialog
from datafast_tui.widgets.field_input import FieldInput

RangeChoice = str | DateRange


class DateRangeMenu(Dialog[RangeChoice | None]):
    # Nothing focused at first, so single keys pick presets instead of typing into the dates.
    AUTO_FOCUS = ""
    BINDINGS = [
        *(Binding(p.key, f"pick('{p.name}')", p.label) for p in PRESETS),
        Binding("c", "custom", "Custom range"),
    ]

    DEFAULT_CSS = """
    DateRangeMenu .preset { height: 1; }
    DateRangeMenu .preset.current { background: $primary-muted; }
    DateRangeMenu #custom { height: auto; margin-top: 1; }
    DateRangeMenu #custom Input { width: 1fr; }
    """
    WIDTH = 56

    def __init__(self, current: DateRange, today: date) -> None:
        super().__init__()
        self.current = current
        self.today = today

    def compose(self) -> ComposeResult:
        start = self.current.start.isoformat()[:10] if self.current.start is not None else ""
        end = self.current.end.isoformat()[:10] if self.current.end is not None else ""
        with Vertical():
            yield Label("Date range", classes="title")
            for preset in PRESETS:
                line = Content.assemble((f" {preset.key} ", "bold $readable-accent"), f" {preset.label}")
                classes = "preset current" if preset.name == self.current.preset else "preset"
                yield Static(line, classes=classes)
            yield Static(Content.assemble((" c ", "bold $readable-accent"), " Custom: start and end dates"),
                         classes="preset")
            with Horizontal(id="custom"):
                yield FieldInput(value=start, placeholder="start YYYY-MM-DD", id="start")
                yield FieldInput(value=end, placeholder="end YYYY-MM-DD", id="end")
            yield Static("", id="error", markup=False)
            yield Static("press a key · Enter in the dates applies them · Esc closes", classes="hint",
                         markup=False)

    def action_pick(self, name: str) -> None:
        self.dismiss(name)

    def action_custom(self) -> None:
        self.query_one("#start", Input).focus()

    def enter_pressed(self, field: Input) -> bool:
        if field.id == "start":
            self.set_focus(self.query_one("#end", Input))
        elif field.id == "end":
            self._apply_custom()
        else:
            return False
        return True

    def _apply_custom(self) -> None:
        start = self.query_one("#start", Input).value
        end = self.query_one("#end", Input).value
        try:
            chosen = custom_range(start, end, today=self.today)
        except QueryError as exc:
            self.query_one("#error", Static).update(str(exc))
            return
        self.dismiss(chosen)
