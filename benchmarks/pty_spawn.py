"""A program started in its own 120x36 pseudo-terminal, for the benchmarks that time real terminals.

Both bench_startup and bench_realtime_cpu need the same start: a fixed window size, an
xterm environment without the user's API key (the app must run on the demo), and the
escape sequences taken out of what it writes so the words on screen can be searched.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import termios

COLUMNS, ROWS = 120, 36
ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def minimal_app(tick_seconds: float | None = None) -> str:
    """Source of the floor the app is measured against: a Textual app showing `minimal-ready`,
    its label changed every `tick_seconds` when given (as a live screen changes)."""
    ticking = "" if tick_seconds is None else f"""
    def on_mount(self):
        self.ticks = 0
        self.set_interval({tick_seconds}, self.tick)
    def tick(self):
        self.ticks += 1
        self.query_one(Label).update(f"minimal-ready {{self.ticks}}")"""
    return f"""
from textual.app import App
from textual.widgets import Label
class Minimal(App):
    def compose(self):
        yield Label("minimal-ready"){ticking}
Minimal().run()
"""


def spawn_in_pty(argv: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], int]:
    """Start `argv` in a new 120x36 pty; returns the process and the pty's master end to read.

    `env` is added to the environment (after the user's API key is taken out of it)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    base = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)}
    base.pop("DATAFAST_API_KEY", None)
    env = {**base, **(env or {})}
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    return proc, master


def screen_words(seen: bytes, chunk: bytes) -> bytes:
    """`seen` with `chunk` added, escape sequences removed, kept to its last 20,000 bytes."""
    return (seen + ESCAPES.sub(b"", chunk))[-20000:]
