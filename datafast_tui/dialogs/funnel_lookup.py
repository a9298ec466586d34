"""The Funnels screen's `o` dialog: type or paste a funnel id (for a website key that cannot
list the site's funnels). Returns the id, or None on Esc; the id is checked as it is typed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from datafast_tui.api.funnels import funnel_id_problem
from datafast_tui.dialogs.base import Dialog
from datafast_tui.widgets.field_input import FieldInput


class FunnelLookup(Dialog[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without opening a funnel")]
    DEFAULT_CSS = """
    FunnelLookup .title { margin-bottom: 1; }
    FunnelLookup .field > Label { width: 11; }
    FunnelLookup #funnel-error { color: $text-error; height: auto; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Open a funnel", classes="title")
            with Horizontal(classes="field"):
                yield Label("Funnel id")
                yield FieldInput("", placeholder="e.g. 665f0b3c4d2e1a0012345678", compact=True, id="funnel-id")
            yield Static("", id="funnel-error", markup=False)
            yield Static("The id is in the dashboard's funnel page URL · Enter opens · Esc closes",
                         classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#funnel-id", Input).focus()

    @on(Input.Changed, "#funnel-id")
    def _typed(self, event: Input.Changed) -> None:
        problem = funnel_id_problem(event.value) if event.value.strip() else None
        self.query_one("#funnel-error", Static).update(problem or "")
        event.input.set_class(problem is not None, "-invalid")

    @on(Input.Submitted, "#funnel-id")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        problem = funnel_id_problem(event.value)
        if problem is not None:
            self.query_one("#funnel-error", Static).update(problem)
            return
        self.dismiss(event.value.strip())
