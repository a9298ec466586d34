"""The People screen's `s` form: visited page, goal, place, device, source, campaign, customers.

Returns a PeopleForm (the query with those filters, and the customer choice), or None on
Esc. Enter in any field searches; a wrong value is said under the fields and nothing changes.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from datafast_tui.api.filters import FilterError
from datafast_tui.api.people import CUSTOMER_CHOICES, customer_words
from datafast_tui.api.query import Query
from datafast_tui.data.people_form import FIELDS, PeopleForm, apply_form, initial_values
from datafast_tui.dialogs.base import Dialog
from datafast_tui.widgets.field_input import FieldInput


class PeopleSearchDialog(Dialog[PeopleForm | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing the search"),
        Binding("ctrl+s", "search", "Search", tooltip="Search with these fields (Enter in a field too)"),
    ]
    DEFAULT_CSS = """
    PeopleSearchDialog .title { margin-bottom: 1; }
    PeopleSearchDialog .field > Label { width: 16; }
    PeopleSearchDialog #pf-error { color: $text-error; height: auto; }
    """
    WIDTH = 76

    def __init__(self, query: Query, customer: bool | None) -> None:
        super().__init__()
        self._query = query
        self._customer = customer

    def compose(self) -> ComposeResult:
        values = initial_values(self._query)
        with Vertical():
            yield Label("Search people", classes="title")
            for ident, label, _, _, example in FIELDS:
                with Horizontal(classes="field"):
                    yield Label(label)
                    yield FieldInput(values[ident], placeholder=example, compact=True, id=ident)
            with Horizontal(classes="field"):
                yield Label("Who")
                yield Select([(customer_words(c), i) for i, c in enumerate(CUSTOMER_CHOICES)],
                             value=CUSTOMER_CHOICES.index(self._customer), allow_blank=False, compact=True,
                             id="pf-customer")
            yield Static("", id="pf-error", markup=False)
            yield Static("Enter or ctrl+s searches · an empty field drops that filter · the range is d · "
                         "/ adds any other filter · Esc closes", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#pf-page", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_search()

    def action_search(self) -> None:
        values = {ident: self.query_one(f"#{ident}", Input).value for ident, *_ in FIELDS}
        try:
            query = apply_form(self._query, values)
        except FilterError as error:
            self.query_one("#pf-error", Static).update(str(error))
            return
        choice = self.query_one("#pf-customer", Select).value
        customer = CUSTOMER_CHOICES[choice] if isinstance(choice, int) else self._customer
        self.dismiss(PeopleForm(query, customer))
