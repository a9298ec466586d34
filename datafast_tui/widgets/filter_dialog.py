"""The "add a filter" dialog: dimension (with completion), operator, values.

Returns the new `Filter`, or None when the user pressed Esc. Values typed with commas
become several values (OR'd), which is also why a single value may not contain a comma.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, Static

from datafast_tui.api.filters import DIMENSIONS, OPERATOR_WORDS, Filter, operators_for
from datafast_tui.api.invalid import QueryError

ValueSuggester = Callable[[str], Awaitable[list[str]]]


class FilterDialog(ModalScreen[Filter | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    FilterDialog { align: center middle; }
    FilterDialog > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    FilterDialog .title { text-style: bold; margin-bottom: 1; }
    FilterDialog .hint { color: $text-muted; }
    FilterDialog #error { color: $text-error; height: auto; }
    FilterDialog Input, FilterDialog Select { margin-bottom: 0; }
    """

    def __init__(self, *, dimension: str | None = None, suggest_values: ValueSuggester | None = None) -> None:
        super().__init__()
        self._initial = dimension
        self._suggest_values = suggest_values

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Add a filter", classes="title")
            yield Input(value=self._initial or "", placeholder="dimension: country, page, utm_source…",
                        suggester=SuggestFromList(DIMENSIONS, case_sensitive=False), id="dimension")
            yield Static("→ accepts the suggestion · " + " ".join(DIMENSIONS), classes="hint", markup=False)
            yield Select([(OPERATOR_WORDS[o], o) for o in operators_for("country")], value="is",
                         allow_blank=False, id="operator")
            yield Input(placeholder="value (several: separate with commas)", id="values")
            yield Static("", id="error", markup=False)
            yield Static("Enter: add · Tab: next field · Esc: cancel", classes="hint", markup=False)

    def on_mount(self) -> None:
        if self._initial:
            self._dimension_chosen(self._initial)
            self.query_one("#values", Input).focus()
        else:
            self.query_one("#dimension", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(message)

    def _dimension(self) -> str | None:
        text = self.query_one("#dimension", Input).value.strip().lower()
        if text not in DIMENSIONS:
            close = [d for d in DIMENSIONS if d.startswith(text)] if text else []
            hint = f" (did you mean {close[0]}?)" if len(close) == 1 else ""
            self._error(f"unknown dimension {text!r}{hint}" if text else "choose a dimension first")
            return None
        return text

    def _dimension_chosen(self, dimension: str) -> None:
        select = self.query_one("#operator", Select)
        current = select.value
        ops = operators_for(dimension)
        select.set_options([(OPERATOR_WORDS[o], o) for o in ops])
        select.value = current if current in ops else "is"
        self._error("")
        if self._suggest_values is not None:
            self._load_suggestions(dimension)

    @work(exclusive=True, group="suggestions", exit_on_error=False)
    async def _load_suggestions(self, dimension: str) -> None:
        assert self._suggest_values is not None
        try:
            values = await self._suggest_values(dimension)
        except Exception:  # noqa: BLE001 - suggestions are a convenience; typing still works
            return
        self.query_one("#values", Input).suggester = SuggestFromList(values, case_sensitive=False)

    @on(Input.Submitted, "#dimension")
    def _on_dimension_submitted(self) -> None:
        dimension = self._dimension()
        if dimension is not None:
            self._dimension_chosen(dimension)
            self.query_one("#values", Input).focus()

    @on(Input.Blurred, "#dimension")
    def _on_dimension_left(self) -> None:
        text = self.query_one("#dimension", Input).value.strip().lower()
        if text in DIMENSIONS:
            self._dimension_chosen(text)

    @on(Input.Submitted, "#values")
    def _on_values_submitted(self) -> None:
        dimension = self._dimension()
        if dimension is None:
            self.query_one("#dimension", Input).focus()
            return
        operator = self.query_one("#operator", Select).value
        raw = self.query_one("#values", Input).value
        try:
            new = Filter(dimension, str(operator), tuple(raw.split(",")) if raw.strip() else ())
        except QueryError as exc:
            self._error(str(exc))
            return
        self.dismiss(new)

    def action_cancel(self) -> None:
        self.dismiss(None)
