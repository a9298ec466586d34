"""`FieldInput`: a text field that takes Enter at once and hands on keys meant for the next field.

Textual gives every key to the widget focused when the key arrives, and each widget works
through its keys later, in order. In a burst (`country` Enter `France` Enter, typed fast or
pasted) the keys after Enter are already queued for this field when Enter moves the focus on.
So this field handles Enter and Tab itself, in their turn, by asking its screen (`enter_pressed`, see
dialogs/base.py) to move the focus; and a field without the focus does not take the keys
after it: they go back up to the app, which sends them where the focus is now
(key_routing.py), still in the order typed.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class FieldInput(Input):
    def _on_key(self, event: events.Key) -> None:
        # Textual runs Input's own _on_key after this one (each class's handler) unless the
        # default is prevented; prevent it to keep a key from being typed here.
        # (The screen's focus, not has_focus: that one follows a Blur event still on its way.)
        if self.screen.focused is not self:
            event.prevent_default()  # not ours any more: unhandled, it bubbles up and is routed again
            return
        if event.key == "enter":
            enter_pressed = getattr(self.screen, "enter_pressed", None)
            if enter_pressed is not None and enter_pressed(self):
                event.stop()
                event.prevent_default()
        elif event.key in ("tab", "shift+tab"):
            # Tab, too, moves the focus in its turn: left to the app's binding, it would run
            # only once it had bubbled up, after the keys typed behind it went into this field.
            self.screen.focus_next() if event.key == "tab" else self.screen.focus_previous()
            event.stop()
            event.prevent_default()
