"""Saving the current view under a name (`b`), and recalling one (`'` then its letter)."""

from __future__ import annotations

from collections.abc import Mapping

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from datafast_tui.dialogs.base import Dialog
from datafast_tui.safe_text import clean
from datafast_tui.views import SavedView, ViewError, check_key, check_name
from datafast_tui.widgets.field_input import FieldInput


class SaveViewDialog(Dialog[tuple[str, str | None] | None]):
    """A name and an optional letter; returns (name, key) or None."""

    DEFAULT_CSS = """
    SaveViewDialog .field > Label { width: 8; }
    SaveViewDialog .note { color: $text-muted; margin-top: 1; }
    """
    WIDTH = 66
    BINDINGS = [Binding("ctrl+s", "save", "Save", tooltip="Save the view")]

    def __init__(self, summary: str, taken: Mapping[str, str]) -> None:
        super().__init__()
        self.summary = summary
        self.taken = taken  # letter -> the view holding it

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Save this view", classes="title")
            yield Static(self.summary, classes="note", markup=False)
            with Horizontal(classes="field"):
                yield Label("Name")
                yield FieldInput(placeholder="e.g. pricing france", compact=True, max_length=40, id="name")
            with Horizontal(classes="field"):
                yield Label("Key")
                yield FieldInput(placeholder="a letter: ' then it recalls the view (optional)", compact=True,
                                 max_length=1, id="key")
            yield Static("", id="error", markup=False)
            yield Static("Enter: save · Esc: cancel. Kept in the config file, for this site.", classes="hint",
                         markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#name", Input).focus()

    @on(Input.Changed)
    def _typed(self) -> None:
        self.query_one("#error", Static).update("")

    def enter_pressed(self, field: Input) -> bool:
        """Enter in a field (FieldInput calls this as the key arrives, so a letter typed right after
        it goes to the field the focus moved to): from the name to an empty key, else save."""
        if field.id == "name" and not self.query_one("#key", Input).value:
            self.set_focus(self.query_one("#key", Input))
        else:
            self.action_save()
        return True

    def action_save(self) -> None:
        try:
            name = check_name(self.query_one("#name", Input).value)
            key = check_key(self.query_one("#key", Input).value)
        except ViewError as problem:
            self.query_one("#error", Static).update(str(problem))
            return
        if key is not None and self.taken.get(key, name) != name:
            self.notify(f"The key {key} moves from the view {clean(self.taken[key])!r}", timeout=4, markup=False)
        self.dismiss((name, key))


class ViewPicker(Dialog[str | None]):
    """The site's saved views; a view's letter picks it at once, Enter the highlighted one."""

    DEFAULT_CSS = """
    ViewPicker OptionList { height: auto; max-height: 16; }
    """
    WIDTH = 78

    def __init__(self, views: Mapping[str, SavedView]) -> None:
        super().__init__()
        self.views = dict(views)

    def compose(self) -> ComposeResult:
        options = [Option(Content(f"{view.key or ' '}  {clean(name)} — {clean(view.describe())}"), id=name)
                   for name, view in sorted(self.views.items(), key=lambda item: (item[1].key or "~", item[0]))]
        with Vertical():
            yield Label("Saved views", classes="title")
            if options:
                yield OptionList(*options, id="views")
                yield Static("A letter or Enter: open · Esc: cancel · b saves the current view", classes="hint",
                             markup=False)
            else:
                yield Static("No saved views for this site yet: press b on any screen to save one.", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        if self.views:
            self.query_one(OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        by_key = {view.key: name for name, view in self.views.items() if view.key}
        if event.character in by_key:
            event.stop()
            self.dismiss(by_key[event.character])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
