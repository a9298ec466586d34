"""Keys typed right after one that moves the focus are typed where the focus went.

Textual hands each key to the widget focused when the key *arrives*. In a burst such as
`/pricing` (a fast typist, keys batched by SSH or tmux) the letters arrive before `/` has
opened the search box or the filter dialog, so they went to the table: lost, or run as
commands there (`r` refresh, `c` compare). Such a key gives itself away when it comes back
to the app unhandled while a text box has the focus (a text box keeps every printable key
it gets), or while a dialog that has just opened has no focus yet; it is then sent again as
a new key, to be routed to the text box.
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.screen import ModalScreen
from textual.widgets import Input

#: Times a key waits for a just-opened dialog to focus its first field before it is let go.
MAX_WAITS = 5


def _again(event: events.Key, waits: int) -> events.Key:
    """A new key like `event` (a plain Key: a subclass would get other handler names),
    marked with how many times it waited for a dialog."""
    key = events.Key(event.key, event.character)
    key.datafast_waits = waits  # type: ignore[attr-defined]
    return key


def redeliver_misrouted(app: App, event: events.Event) -> bool:
    """Send `event` again if it is a typed character that went to the wrong widget; True if sent."""
    if not (isinstance(event, events.Key) and event.is_forwarded and event.is_printable) or not app.screen_stack:
        return False  # (no screen: the app is closing)
    waits: int = getattr(event, "datafast_waits", 0)
    if isinstance(app.focused, Input):
        app.post_message(_again(event, waits))
        return True
    if app.focused is None and isinstance(app.screen, ModalScreen) and waits < MAX_WAITS:
        # The dialog is still mounting: try again once it has been drawn.
        app.call_after_refresh(app.post_message, _again(event, waits + 1))
        return True
    return False
