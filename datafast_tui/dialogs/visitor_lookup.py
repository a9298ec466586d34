"""The `o` dialog: type or paste a visitor id, or pick one opened lately or active right now.

Returns the chosen id, or None on Esc. The id is checked as it is typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from datafast_tui.api.visitor_ids import visitor_id_problem
from datafast_tui.data.write_forms import normalize_visitor_id
from datafast_tui.dialogs.base import Dialog
from datafast_tui.quiet_work import work
from datafast_tui.widgets.field_input import FieldInput
from datafast_tui.widgets.visitor_picks import Pick, PickLoader, VisitorPicks


class VisitorLookup(Dialog[str | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without opening a visitor"),
        Binding("down", "to_list", "Pick", show=False, tooltip="Move to the list of visitors"),
    ]

    DEFAULT_CSS = """
    VisitorLookup .title { margin-bottom: 1; }
    VisitorLookup .field > Label { width: 12; }
    VisitorLookup #lookup-error { color: $text-error; height: auto; }
    VisitorLookup VisitorPicks { height: auto; max-height: 14; margin-top: 1; }
    """
    WIDTH = 84

    def __init__(self, recent: Sequence[Pick], live: PickLoader | None = None, *, initial: str = "") -> None:
        super().__init__()
        self.recent = list(recent)
        self.live = live
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Open a visitor", classes="title")
            with Horizontal(classes="field"):
                yield Label("Visitor id")
                yield FieldInput(self.initial, placeholder="paste a datafast_visitor_id", compact=True, id="visitor-id")
            yield Static("", id="lookup-error", markup=False)
            yield VisitorPicks(id="lookup-picks")
            yield Static("Enter opens · ↓ picks from the list · Esc closes", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(VisitorPicks).show(self.recent, empty="Loading visitors active now…" if self.live else
                                          "No recent visitors yet.")
        self.query_one("#visitor-id", Input).focus()
        if self.live is not None:
            self._load_live()

    @work(exclusive=True, group="lookup-live", exit_on_error=False)
    async def _load_live(self) -> None:
        assert self.live is not None
        try:
            live = await self.live()
        except Exception:  # noqa: BLE001 - the list is a convenience; typing an id still works
            live = []
        # None left once the dialog is closing (Esc pressed while the answer was on its way):
        # the answer is then of no use, and not an error.
        for picks in self.query(VisitorPicks):
            picks.show([*self.recent, *live], empty="No recent or active visitors.")

    @on(Input.Changed, "#visitor-id")
    def _typed(self, event: Input.Changed) -> None:
        # Say what is wrong as soon as something is typed; an empty field is not an error yet.
        value = normalize_visitor_id(event.value)
        problem = visitor_id_problem(value) if event.value.strip() else None
        self.query_one("#lookup-error", Static).update(problem or "")
        event.input.set_class(problem is not None, "-invalid")

    @on(Input.Submitted, "#visitor-id")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        value = normalize_visitor_id(event.value)
        problem = visitor_id_problem(value)
        if problem is not None:
            self.query_one("#lookup-error", Static).update(problem)
            return
        self.dismiss(value)

    @on(VisitorPicks.Chosen)
    def _chosen(self, event: VisitorPicks.Chosen) -> None:
        self.dismiss(event.visitor_id)

    def action_to_list(self) -> None:
        self.query_one(VisitorPicks).focus()
