"""Run `datafast-tui` as a user would: a subprocess in a real pseudo-terminal of a fixed size.

What the app writes is collected by a reader thread; `text()` is that output with the
escape sequences taken out, which is enough to find the words a screen shows (Textual
writes each styled run of a line in one piece). Everything is bounded by timeouts, and
the process is killed if it outlives the test.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

#: CSI (with private and intermediate bytes), OSC (ended by BEL or ST), other two-byte escapes.
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\x1b[()][0-9A-Za-z]")


class PtyApp:
    def __init__(self, *args: str, env: dict[str, str], size: tuple[int, int] = (120, 36),
                 prefix: tuple[str, ...] = ()) -> None:
        master, slave = pty.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self._master = master
        self.size = size
        self._emulator = None  # a pyte screen, made on the first look (see screen())
        self._stream = None
        self._fed = 0
        self.process = subprocess.Popen(
            [*prefix, sys.executable, "-m", "datafast_tui", *args], stdin=slave, stdout=slave, stderr=slave,
            env={**env, "COLUMNS": str(columns), "LINES": str(rows)},
            start_new_session=True, close_fds=True,
        )
        os.close(slave)
        self._output = bytearray()
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 65536)
            except OSError:  # the child closed the terminal
                return
            if not chunk:
                return
            with self._lock:
                self._output += chunk

    def screen(self) -> list[str]:
        """The terminal's lines as they are now (the output so far run through a terminal emulator)."""
        import pyte

        if self._emulator is None:
            columns, rows = self.size
            self._emulator = pyte.Screen(columns, rows)
            self._stream = pyte.ByteStream(self._emulator)
        with self._lock:
            new, self._fed = bytes(self._output[self._fed:]), len(self._output)
        self._stream.feed(new)  # only what came since the last look
        return list(self._emulator.display)

    def wait_for_screen(self, check: Callable[[list[str]], bool], *, timeout: float = 60) -> list[str]:
        """Wait until `check(lines on screen now)` holds; fails with the screen last seen."""
        deadline = time.monotonic() + timeout
        lines = self.screen()
        while time.monotonic() < deadline:
            lines = self.screen()
            if check(lines):
                return lines
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError("the screen never showed what was expected:\n" + "\n".join(lines))

    def raw(self) -> str:
        with self._lock:
            return self._output.decode("utf-8", errors="replace")

    def text(self) -> str:
        """Everything shown so far, escape sequences removed."""
        return ESCAPES.sub("", self.raw())

    def flat_text(self) -> str:
        """`text()` with line breaks, panel edges and runs of spaces made one space: a sentence
        wrapped over the lines of a toast or a box reads whole."""
        return " ".join(re.sub(r"[\r\n▌│┃]+", " ", self.text()).split())

    def wait_for(self, *needles: str, timeout: float = 60) -> str:
        """Wait until every needle has been shown (also across wrapped lines); fails with the
        text seen when one never is."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text()
            flat = self.flat_text()
            if all(n in text or n in flat for n in needles):
                return text
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        text, flat = self.text(), self.flat_text()
        missing = [n for n in needles if n not in text and n not in flat]
        raise AssertionError(f"never shown: {missing}; exit={self.process.poll()}; last output: {text[-1500:]!r}")

    def press(self, *keys: str, pause: float = 0.3) -> None:
        for key in keys:
            os.write(self._master, key.encode())
            time.sleep(pause)

    def quit(self) -> int:
        """Press q (again if the first one only closed something) and return the exit status.

        Fails if q does not quit; the process is killed in any case."""
        try:
            for timeout in (5, 10):
                if self.process.poll() is not None:
                    break
                self.press("q", pause=0)
                try:
                    return self.process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    continue
            if self.process.poll() is not None:
                return self.process.returncode
            raise AssertionError(f"q did not quit; output ends {self.text()[-800:]!r}")
        finally:
            self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        time.sleep(0.1)  # the reader drains what is left
        try:
            os.close(self._master)
        except OSError:
            pass


def private_env(root: Path, **extra: str) -> dict[str, str]:
    """An environment whose config, cache, state and log folders are all under `root`."""
    # Nothing of the caller's terminal settings either: colour choices are the test's.
    env = {key: value for key, value in os.environ.items() if not key.startswith("DATAFAST")
           and key not in ("NO_COLOR", "COLORTERM", "FORCE_COLOR", "TEXTUAL")}
    env.update(
        TERM="xterm-256color",
        HOME=str(root / "home"),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_CACHE_HOME=str(root / "cache"),
        XDG_STATE_HOME=str(root / "state"),
        DATAFAST_TUI_STATE_DIR=str(root / "state" / "datafast-tui"),
        DATAFAST_CONFIG=str(root / "config" / "none.toml"),
        NO_PROXY="*",
    )
    env.update(extra)
    return env
