"""Hand the heap that finished loads freed back to the OS.

glibc keeps memory that was freed inside its heap for reuse instead of returning it, so
what a burst of loads allocated and dropped (JSON bodies, SQL results in the demo's
threads, rows being parsed) stays resident: after a tour of every screen and tab the
app measured 80.6 MB, of which `malloc_trim` gave back 8-10 MB, in under 1 ms per call
(benchmarks/bench_memory.py). A user who leaves the app open in a tmux pane all day gets
that back every time the screens go quiet. A no-op off glibc (macOS, Windows, musl).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes  # only on Linux, once

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def give_back_freed_memory() -> None:
    """Return the free parts of every malloc arena to the OS (glibc), else nothing."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class IdleTrim:
    """Trims once the last load in flight has ended, and after a switch of screen (whose
    building freed memory too), through `schedule` (the app's `call_after_refresh`: after
    the screen is painted, never in its way). Realtime's polls are not loads (the store does
    not count them), so an idle Realtime screen never trims."""

    def __init__(self, schedule: Callable[[Callable[[], None]], object],
                 trim: Callable[[], None] = give_back_freed_memory) -> None:
        self._schedule, self._trim = schedule, trim
        self._loading = 0
        self._pending = False

    def loads_changed(self, loading: int) -> None:
        """Told the number of loads in flight whenever the store's status changes."""
        if self._loading and not loading:
            self.soon()
        self._loading = loading

    def soon(self) -> None:
        """Trim after the next repaint, unless a load is then in flight (its end trims)."""
        if not self._pending:
            self._pending = True
            self._schedule(self._run)

    def _run(self) -> None:
        self._pending = False
        if not self._loading:  # a new load started meanwhile: its own end trims
            self._trim()
