"""Delete goals or payments: the scope as fields, spelled out in words before anything is sent.

The visitor field starts with the open visitor, the narrowest scope. The confirmation
repeats the scope and warns loudly when no time range limits it (the docs: then every
matching record across all time is deleted). Returns the API's `DeletionResult`, or None.
"""

from __future__ import annotations

from datetime import timezone, tzinfo

from textual.app import ComposeResult
from textual.widgets import Input, Static

from datafast_tui.api.models import DeletionResult
from datafast_tui.api.writes import GoalDeletion, PaymentDeletion
from datafast_tui.data.write_forms import (
    Parsed,
    goal_deletion_form,
    payment_deletion_form,
)
from datafast_tui.data.write_scope import (
    Scope,
    delete_preview,
    goal_deletion_scope,
    payment_deletion_scope,
)
from datafast_tui.dialogs.write import Description, Sender, WriteDialog, form_row
from datafast_tui.safe_text import clean
from datafast_tui.widgets.field_input import FieldInput


class _DeleteDialog(WriteDialog):
    CONFIRM_LABEL = "yes, delete"
    DANGER = True
    PATH = ""

    def __init__(self, sender: Sender, *, visitor_id: str = "", zone: tzinfo = timezone.utc,
                 zone_name: str = "UTC") -> None:
        super().__init__(sender)
        self.visitor_id = visitor_id
        self.zone = zone
        self.zone_name = zone_name

    def _range_rows(self) -> ComposeResult:
        when = f"YYYY-MM-DD [HH:MM] in {self.zone_name}, or ISO 8601"
        yield form_row("From", FieldInput(placeholder=when, compact=True, id="f-start"))
        yield form_row("To", FieldInput(placeholder="the same; a bare date means its whole day", compact=True,
                                   id="f-end"))
        yield Static("Leave both empty for no time limit (all time).", classes="under-field", markup=False)

    def text(self, key: str) -> str:
        return self.query_one(f"#f-{key}", Input).value

    def _description(self, scope: Scope, params: dict[str, str]) -> Description:
        return Description("This will delete", scope.sentence, delete_preview(self.PATH, params),
                           scope.warning, scope.unbounded)

    def success_text(self, answer: DeletionResult) -> str:
        count = answer.details.get("deletedCount")
        counted = f" ({count} deleted)" if isinstance(count, int) else ""
        return f"{clean(answer.message, placeholder='Deleted')}{counted}"


class DeleteGoalsDialog(_DeleteDialog):
    TITLE_TEXT = "Delete goals"
    CONFIRM_TITLE = "Delete these goals?"
    PATH = "goals"

    def compose_fields(self) -> ComposeResult:
        yield Static("Any combination: visitor, goal name, time range (at least one).", classes="note",
                     markup=False)
        yield form_row("Visitor", FieldInput(self.visitor_id, placeholder="any visitor", compact=True, id="f-visitor"))
        yield form_row("Goal name", FieldInput(placeholder="any goal name (e.g. signup)", compact=True, id="f-name"))
        yield from self._range_rows()

    def on_mount(self) -> None:
        self.query_one("#f-name", Input).focus()

    def parse(self) -> Parsed[GoalDeletion]:
        return goal_deletion_form(self.text("visitor"), self.text("name"), self.text("start"), self.text("end"),
                                  self.zone)

    def describe(self, request: GoalDeletion) -> Description:
        return self._description(goal_deletion_scope(request, self.zone, self.zone_name), request.params())


class DeletePaymentsDialog(_DeleteDialog):
    TITLE_TEXT = "Delete payments"
    CONFIRM_TITLE = "Delete these payments?"
    PATH = "payments"

    def compose_fields(self) -> ComposeResult:
        yield Static("A transaction id alone decides (the rest is then ignored); else a visitor and/or a time range.",
                     classes="note", markup=False)
        yield form_row("Transaction", FieldInput(placeholder="transaction id of one payment", compact=True,
                                            id="f-transaction"))
        yield form_row("Visitor", FieldInput(self.visitor_id, placeholder="any visitor", compact=True, id="f-visitor"))
        yield from self._range_rows()

    def on_mount(self) -> None:
        self.query_one("#f-transaction", Input).focus()

    def parse(self) -> Parsed[PaymentDeletion]:
        return payment_deletion_form(self.text("transaction"), self.text("visitor"), self.text("start"),
                                     self.text("end"), self.zone)

    def describe(self, request: PaymentDeletion) -> Description:
        return self._description(payment_deletion_scope(request, self.zone, self.zone_name), request.params())
