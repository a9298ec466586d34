"""`Dialog`: the one shape every modal of the app shares.

A box in the middle of the terminal, never wider or taller than it (80x24 included): when
the terminal is short, the dialog's scrolling part (`SCROLLING`) shrinks so the title and
the hints around it stay in sight. Esc cancels (`dismiss(None)`, nothing is changed); each
dialog binds its own confirm key. The shared CSS is here once; a dialog's DEFAULT_CSS only
says what differs (its width, its own fields).
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import events
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input

T = TypeVar("T")

#: The rows whose label shows where the focus is.
FIELD_ROWS = ".field, .meta-row"


class Dialog(ModalScreen[T]):
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    Dialog.danger > Vertical { border: thick $error; }
    Dialog .title { text-style: bold; }
    Dialog .hint { color: $text-muted; }
    Dialog #error { color: $text-error; height: auto; }
    Dialog .field { height: 1; }
    Dialog .field > Label { color: $text-muted; }
    Dialog .field > Input, Dialog .field > Select { width: 1fr; }
    /* Where the keys go, at a glance (a compact field alone changes by one step of background,
       which light themes and NO_COLOR lose): the focused field's label is shown reversed.
       A class, not :focus-within: Textual restyles the focused widget's ancestors on a focus
       change, not their other children, so a label styled by :focus-within kept the old look. */
    Dialog .field.-has-focus > Label, Dialog .field.-has-focus > .field-label,
    Dialog .meta-row.-has-focus > .meta-number {
        color: $text-accent; text-style: bold reverse;
    }
    Dialog Checkbox:focus > .toggle--label { text-style: bold reverse; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close; nothing is changed")]

    #: The box's width in cells (it shrinks with the terminal).
    WIDTH: ClassVar[int] = 72
    #: A selector of the part that scrolls when the terminal is too short for the whole box,
    #: and the rows the box keeps outside it (borders, title, messages, hints).
    SCROLLING: ClassVar[str | None] = None
    CHROME_ROWS: ClassVar[int] = 4
    MIN_SCROLLING_ROWS: ClassVar[int] = 3

    def on_mount(self) -> None:
        for box in self.query_children(Vertical):
            box.styles.width = self.WIDTH
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        # A CSS max-height of 100% on the scrolling part is the whole box, title included: on a
        # short terminal its last lines would fall under the bottom border, out of reach.
        if self.SCROLLING is not None:
            self.query_one(self.SCROLLING).styles.max_height = max(self.MIN_SCROLLING_ROWS,
                                                                   self.size.height - self.CHROME_ROWS)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._mark_focused_field(event.widget)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._mark_focused_field(self.focused)

    def _mark_focused_field(self, widget: Widget | None) -> None:
        """Class `-has-focus` on the field row (label and input) that holds the focus, only there."""
        holders = set(widget.ancestors_with_self) if widget is not None else set()
        for row in self.query(FIELD_ROWS):
            row.set_class(row in holders, "-has-focus")

    def enter_pressed(self, field: Input) -> bool:
        """Enter in `field`, handled in its turn among the keys typed; True when handled.

        A FieldInput calls this instead of posting Submitted (handled later, when the keys
        typed after Enter had already gone into the old field): the focus moves now, and
        those keys follow it (widgets/field_input.py).
        """
        return False

    def action_cancel(self) -> None:
        self.dismiss(None)
