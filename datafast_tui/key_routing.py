"""Keys typed right after one that moves the focus are typed where the focus went.

Textual hands each key to the widget focused when the key *arrives*. In a burst such as
`/pricing` or `2 l` (a fast typist, a paste, keys batched by SSH or tmux) the keys after the
first all arrive before it has opened the search box, the filter dialog or the next screen,
so they went to the old widget: lost, or run as commands there (`r` refresh, `c` compare,
Enter drilling down). Such a key gives itself away when it comes back to the app unhandled
and the screen or the focused widget is no longer the one it was sent to: it is then sent
again, in the order typed, as a new key, to go where the focus now is. While a dialog that
has just opened has not focused its first field yet, keys wait for it.
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.screen import ModalScreen
from textual.widget import Widget

#: Times a key waits for a just-opened dialog to focus its first field before it is let go.
MAX_WAITS = 5

Route = tuple[object, Widget | None]


def _again(event: events.Key, waits: int) -> events.Key:
    """A new key like `event` (a plain Key: a subclass would get other handler names),
    marked with how many times it waited for a dialog."""
    key = events.Key(event.key, event.character)
    key.datafast_waits = waits  # type: ignore[attr-defined]
    return key


def _route(app: App) -> Route:
    return (app.screen, app.focused)


def redeliver_misrouted(app: App, event: events.Event) -> bool:
    """Send `event` again if it is a key that went to a screen or widget that is no longer the
    one with the focus; True if sent (the caller then stops this one)."""
    if not isinstance(event, events.Key) or not app.screen_stack:
        return False  # (no screen: the app is closing)
    if not event.is_forwarded:
        event.datafast_route = _route(app)  # type: ignore[attr-defined]  # where it is about to go
        return False
    waits: int = getattr(event, "datafast_waits", 0)
    screen = app.screen
    # A dialog that focuses a field when it opens (not the menus that want single keys, AUTO_FOCUS
    # ""): until it has, every key waits for it, Enter and Tab included, in the order typed.
    opening = app.focused is None and isinstance(screen, ModalScreen) and screen.AUTO_FOCUS != ""
    if opening and waits < MAX_WAITS:
        app.call_after_refresh(app.post_message, _again(event, waits + 1))
        return True
    if getattr(event, "datafast_route", None) not in (None, _route(app)):
        app.post_message(_again(event, waits))
        return True
    return False
