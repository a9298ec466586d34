"""Run `datafast-tui web` as a user would: a real process on a free loopback port, stopped by SIGTERM.

It runs in a session of its own (so a test that fails half-way can still kill it and every
app it started, by its group id), with private config, cache and state folders, and writes
its output to files (an app's stderr reaches the server's stdout; a pipe nobody reads could
block it). The apps it starts are found through /proc (Linux), by their parent.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

URL_LINE = re.compile(r"serving the app at (http://\S+/)")


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid`, read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The name (field 2) may hold spaces and parentheses: the fields after its last ')'.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie has finished)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def wait_until(check: Callable[[], object], what: str, timeout: float = 30) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class WebServer:
    """`datafast-tui web --port 0 ARGS` in `env`; `url` once it listens."""

    def __init__(self, args: list[str], env: dict[str, str], folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.stdout_path, self.stderr_path = folder / "web.stdout", folder / "web.stderr"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen([sys.executable, "-m", "datafast_tui", "web", "--port", "0", *args],
                                            stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                            env={**env, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
        self.apps_seen: set[int] = set()
        match = wait_until(lambda: URL_LINE.search(self.stdout()) or self.process.poll() is not None,
                           "the server to say its URL", timeout=30)
        if not isinstance(match, re.Match):
            raise AssertionError(f"the server ended ({self.process.returncode}): {self.stderr()}{self.stdout()}")
        self.url: str = match.group(1)

    def stdout(self) -> str:
        return self.stdout_path.read_text(encoding="utf-8", errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def apps(self) -> list[int]:
        """The apps running now (the server's children), remembered for the orphan check in stop()."""
        found = children_of(self.process.pid)
        self.apps_seen.update(found)
        return found

    def stop(self, timeout: float = 20) -> int:
        """SIGTERM, as a service manager would (Ctrl+C is SIGINT, the same path); the exit status.

        Fails if the server does not exit in time or leaves an app running."""
        self.apps()
        self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=timeout)
        orphans = [pid for pid in self.apps_seen if running(pid)]
        assert not orphans, f"apps still running after the server stopped: {orphans}"
        return status

    def kill(self) -> None:
        """The safety net: the server's whole process group, when a test ended without stop()."""
        with contextlib.suppress(ProcessLookupError):
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)  # the apps are in the server's group
                self.process.wait(timeout=10)
            for pid in self.apps_seen:  # one that outlived the server
                if running(pid):
                    os.kill(pid, signal.SIGKILL)
