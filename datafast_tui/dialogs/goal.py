"""Create a custom goal for a visitor: name (checked as typed) and up to 10 metadata rows.

Metadata rows appear one at a time: typing in the last row adds the next, up to the
documented limit of 10. Returns the API's `GoalCreated` (with the new event id) or None.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Static

from datafast_tui.api.models import GoalCreated
from datafast_tui.api.writes import METADATA_MAX_PARAMS, GoalRequest
from datafast_tui.data.write_forms import Parsed, goal_form
from datafast_tui.data.write_scope import goal_sentence, post_preview
from datafast_tui.dialogs.write import Description, Sender, WriteDialog, form_row
from datafast_tui.safe_text import clean
from datafast_tui.widgets.field_input import FieldInput


class GoalDialog(WriteDialog[GoalRequest, GoalCreated]):
    TITLE_TEXT = "Create a custom goal"
    CONFIRM_TITLE = "Create this goal?"
    CONFIRM_LABEL = "yes, create it"

    DEFAULT_CSS = """
    GoalDialog #meta-rows { height: auto; }
    GoalDialog .meta-row { height: 1; }
    GoalDialog .meta-row > .meta-number { width: 14; color: $text-muted; }
    GoalDialog .meta-row > .meta-key { width: 24; margin-right: 1; }
    GoalDialog .meta-row > .meta-value { width: 1fr; }
    """

    def __init__(self, sender: Sender, *, visitor_id: str = "", name: str = "") -> None:
        super().__init__(sender)
        self.visitor_id = visitor_id
        self.initial_name = name
        self._meta_inputs: list[tuple[Input, Input]] = []

    def compose_fields(self) -> ComposeResult:
        yield form_row("Visitor", FieldInput(self.visitor_id, placeholder="datafast_visitor_id", compact=True,
                                        id="f-visitor"))
        yield form_row("Goal name", FieldInput(self.initial_name, placeholder="e.g. newsletter_signup", compact=True,
                                          max_length=80, id="f-name"))
        yield Static("lowercase letters, numbers, _ - and :; at most 64 characters", classes="under-field",
                     markup=False)
        yield form_row("Description", FieldInput(placeholder="optional", compact=True, max_length=300,
                                            id="f-description"))
        yield Static(f"Metadata (optional, up to {METADATA_MAX_PARAMS}): name = value; values up to 255 characters",
                     classes="section", markup=False)
        yield Vertical(self._meta_row(1), id="meta-rows")

    def on_mount(self) -> None:
        self.query_one("#f-visitor" if not self.visitor_id else "#f-name", Input).focus()

    def _meta_row(self, number: int) -> Horizontal:
        key = FieldInput(placeholder="name", compact=True, classes="meta-key", id=f"f-meta-{number}")
        value = FieldInput(placeholder="value", compact=True, classes="meta-value", id=f"f-metavalue-{number}")
        # Kept by reference: a row mounted just now has no queryable children until the next refresh.
        self._meta_inputs.append((key, value))
        return Horizontal(Static(f"  {number}.", classes="meta-number", markup=False), key, value, classes="meta-row")

    def metadata_rows(self) -> list[tuple[str, str]]:
        return [(key.value, value.value) for key, value in self._meta_inputs]

    def refresh_live(self) -> Parsed[GoalRequest]:
        self._grow()
        return super().refresh_live()

    def _grow(self) -> None:
        """One empty row is always ready below the last filled one (up to the limit)."""
        if self.rows >= METADATA_MAX_PARAMS or not self.is_mounted:
            return
        key, value = self.metadata_rows()[-1]
        if key or value:
            self.query_one("#meta-rows").mount(self._meta_row(self.rows + 1))

    @property
    def rows(self) -> int:
        """Metadata rows on the form (filled or not)."""
        return len(self._meta_inputs)

    def parse(self) -> Parsed[GoalRequest]:
        return goal_form(self.query_one("#f-visitor", Input).value, self.query_one("#f-name", Input).value,
                         self.metadata_rows(), self.query_one("#f-description", Input).value)

    @staticmethod
    def field_key(widget: Widget) -> str | None:
        # A row's value field shares the row's problem key, so both get tinted.
        key = WriteDialog.field_key(widget)
        return key.replace("metavalue-", "meta-") if key else None

    def describe(self, request: GoalRequest) -> Description:
        return Description("This will create", goal_sentence(request), post_preview("goals", request.to_json()))

    def success_text(self, answer: GoalCreated) -> str:
        return f"Goal created: event id {clean(answer.event_id, placeholder='(none given)')}"
