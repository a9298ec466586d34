"""`QuietLinuxDriver`: Textual's terminal driver, with an input thread that sleeps until there is input.

Textual's input thread wakes ten times a second whatever happens (`select` with a 0.1 s
timeout), only to see whether a pending escape sequence has timed out or the app is
stopping. Each wake takes the GIL from the event loop. Measured over 120 s with the app on
the Realtime screen, in a pty: that thread used 0.18 s of CPU and the rest of the app 0.27 s.
A bare Textual app showed the same 0.16 s of wakes against 0.06 s of everything else. For an
app left open in a tmux pane all day, the wakes were the biggest cost.

This driver waits for input with no timeout, except while the parser waits for the rest of an
escape sequence (a lone Esc): then it waits until that is due (ESCDELAY, 100 ms by default).
Textual's own loop delivered that Esc 100-200 ms late; this one delivers it at 100 ms. To stop,
the driver's exit event also writes to a pipe that the thread waits on, so quitting and
suspending take no longer than before (0.1 s less: Textual's loop ends with a 0.1 s wait).

The loop is Textual's `LinuxDriver.run_input_thread` (textual 8.2) with only the timeout
changed. If a future Textual no longer has the parser's `_timeout_time`, the loop falls back
to Textual's 0.1 s wakes.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Callable
from threading import Event
from typing import Any

from textual._loop import loop_last
from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

#: Textual's own wake period, used when the parser's pending timeout cannot be read.
TEXTUAL_TICK = 0.1


class _WakingEvent(Event):
    """A threading.Event that also wakes the input thread when set."""

    def __init__(self, wake: Callable[[], None]) -> None:
        super().__init__()
        self._wake = wake

    def set(self) -> None:
        super().set()
        self._wake()


_UNKNOWN = object()


def _next_timeout(parser: XTermParser) -> float | None:
    """Seconds until the parser's pending timeout (None: nothing pending, wait for input)."""
    due = getattr(parser, "_timeout_time", _UNKNOWN)
    if due is _UNKNOWN:  # not a Textual we know: wake as it does
        return TEXTUAL_TICK
    if due is None:
        return None
    return max(0.0, due - get_time())


class QuietLinuxDriver(LinuxDriver):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)
        self.exit_event = _WakingEvent(self._wake)

    def _wake(self) -> None:
        if self._wake_write < 0:  # closed: no thread to wake (and the number may be another file's now)
            return
        try:
            os.write(self._wake_write, b"!")
        except OSError:  # a full pipe is already a wake; a closed one has no thread to wake
            pass

    def _drain_wakes(self) -> None:
        try:
            while os.read(self._wake_read, 512):
                pass
        except OSError:  # empty (BlockingIOError) or closed
            pass

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events (Textual's loop; see the module's docstring)."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(self._wake_read, selectors.EVENT_READ)

        fileno = self.fileno
        EVENT_READ = selectors.EVENT_READ

        parser = XTermParser(self._debug)
        feed = parser.feed
        tick = parser.tick

        decode = getincrementaldecoder("utf-8")().decode
        read = os.read

        def process_selector_events(selector_events: list[tuple[selectors.SelectorKey, int]],
                                    final: bool = False) -> None:
            for last, (selector_key, mask) in loop_last(selector_events):
                if selector_key.fd == self._wake_read:
                    self._drain_wakes()
                    continue
                if mask & EVENT_READ:
                    unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        # This can occur if the stdin is piped
                        break
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(_next_timeout(parser)))
            selector.unregister(self.fileno)
            # Textual waits 0.1 s here, with the terminal no longer watched: for nothing, on every
            # quit and suspend. Only the wake pipe is left to look at, and it need not be waited for.
            process_selector_events(selector.select(0), final=True)
        finally:
            selector.close()
            try:
                for _ in feed(""):
                    pass
            except (EOFError, ParseError):
                pass

    def close(self) -> None:
        super().close()
        for fd in (self._wake_read, self._wake_write):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._wake_read = self._wake_write = -1

