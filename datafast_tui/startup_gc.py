"""No garbage collection while the app starts; what start-up built is then frozen.

Start-up makes hundreds of thousands of objects (modules, classes, widgets, styles) and
almost no garbage, yet the cyclic collector ran ~195 times during it (~100 ms of a one-second
start, measured). It is paused from the first line of `main` until the first screen has
painted (or a few seconds, whichever comes first); then everything alive is moved to the
permanent generation (`gc.freeze`), so later collections, during hours of polling, no
longer walk the whole start-up heap either.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Freeze what start-up made and collect again (a no-op unless `pause` paused it)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
