"""The "add a filter" dialog: dimension (with completion), operator, values.

Returns the new `Filter`, or None when the user pressed Esc. Values typed with commas
become several values (OR'd), which is also why a single value may not contain a comma.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, Static

from datafast_tui.api.errors import QueryError
from datafast_tui.api.filters import (
    DEMO_ONLY_DIMENSIONS,
    OPERATOR_WORDS,
    Filter,
    dimensions_offered,
    operators_for,
)
from datafast_tui.dialogs.base import Dialog
from datafast_tui.quiet_work import work
from datafast_tui.widgets.field_input import FieldInput

ValueSuggester = Callable[[str], Awaitable[list[str]]]


class FilterDialog(Dialog[Filter | None]):
    DEFAULT_CSS = """
    FilterDialog .title { margin-bottom: 1; }
    FilterDialog .field { margin-bottom: 1; }
    FilterDialog .field > Label { width: 11; }
    """
    WIDTH = 64

    def __init__(self, *, dimension: str | None = None, suggest_values: ValueSuggester | None = None,
                 demo: bool = False) -> None:
        super().__init__()
        self._initial = dimension
        #: The dimensions this API answers: the documented ones, and the demo's extras on the demo.
        self._dimensions = dimensions_offered(demo)
        self._suggest_values = suggest_values
        self._known_values: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Add a filter", classes="title")
            with Horizontal(classes="field"):
                yield Label("Dimension")
                yield FieldInput(value=self._initial or "", placeholder="country, page, utm_source…", compact=True,
                            suggester=SuggestFromList(self._dimensions, case_sensitive=False), id="dimension")
            yield Static(" ".join(f"{d} (demo only)" if d in DEMO_ONLY_DIMENSIONS else d for d in self._dimensions),
                         classes="hint", markup=False)
            with Horizontal(classes="field"):
                yield Label("Operator")
                yield Select([(OPERATOR_WORDS[o], o) for o in operators_for("country")], value="is",
                             allow_blank=False, compact=True, id="operator")
            with Horizontal(classes="field"):
                yield Label("Values")
                yield FieldInput(placeholder="one, or several separated by commas", compact=True, id="values")
            yield Static("", id="error", markup=False)
            yield Static("Enter: next/add · → accepts a suggestion · Tab: next field · Esc: cancel",
                         classes="hint", markup=False)

    def on_mount(self) -> None:
        if self._initial:
            self._dimension_chosen(self._initial)
            self.query_one("#values", Input).focus()
        else:
            self.query_one("#dimension", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(message)

    def _dimension(self) -> str | None:
        """The typed dimension; a prefix that names exactly one dimension counts as that dimension."""
        field = self.query_one("#dimension", Input)
        text = field.value.strip().lower()
        if text in self._dimensions:
            return text
        if text in DEMO_ONLY_DIMENSIONS:
            self._error(f"{text} is a filter of the demo API only; DataFast's API does not document it")
            return None
        matches = [d for d in self._dimensions if d.startswith(text)] if text else []
        if len(matches) == 1:
            field.value = matches[0]
            return matches[0]
        if not text:
            self._error("choose a dimension first")
        elif matches:
            self._error(f"{text!r} could be {', '.join(matches)}")
        else:
            self._error(f"unknown dimension {text!r}")
        return None

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
        self._known_values = values
        # The suggestions can come after the dialog closed (Enter pressed while they loaded, on
        # a slow API or a busy machine): then there is no field left to give them to.
        fields = self.query("#values").results(Input)
        for field in fields:
            field.suggester = SuggestFromList(values, case_sensitive=False)

    def _complete(self, value: str) -> str:
        """A typed value completed to the one known value it starts (any case); else as typed."""
        wanted = value.strip().lower()
        exact = [v for v in self._known_values if v.lower() == wanted]
        if exact:
            return exact[0]
        matches = [v for v in self._known_values if v.lower().startswith(wanted)]
        return matches[0] if len(matches) == 1 and wanted else value

    @on(Input.Changed)
    def _typed(self) -> None:
        self._error("")  # what was wrong was about the text before this change

    def enter_pressed(self, field: Input) -> bool:
        if field.id == "dimension":
            self._on_dimension_submitted()
        elif field.id == "values":
            self._on_values_submitted()
        else:
            return False
        return True

    def _on_dimension_submitted(self) -> None:
        dimension = self._dimension()
        if dimension is not None:
            self._dimension_chosen(dimension)
            self.set_focus(self.query_one("#values", Input))  # at once: the values may be typed already

    @on(Input.Blurred, "#dimension")
    def _on_dimension_left(self) -> None:
        if self.query_one("#dimension", Input).value.strip():
            dimension = self._dimension()
            if dimension is not None:
                self._dimension_chosen(dimension)

    def _on_values_submitted(self) -> None:
        dimension = self._dimension()
        if dimension is None:
            self.set_focus(self.query_one("#dimension", Input))
            return
        operator = str(self.query_one("#operator", Select).value)
        raw = self.query_one("#values", Input).value
        values = [v for v in raw.split(",")] if raw.strip() else []
        if operator in ("is", "is_not"):  # contains/does_not_contain take any part of a value
            # An exact match is what these operators need; complete a typed prefix to the value shown.
            values = [self._complete(v) for v in values]
        try:
            new = Filter(dimension, operator, tuple(values))
        except QueryError as exc:
            self._error(str(exc))
            return
        self.dismiss(new)
