"""Start `serve-demo` as a real process on a free loopback port, for tests over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Served:
    """A running serve-demo: its base URL, what it printed, and (once stopped) its stderr."""

    base_url: str
    lines: list[str]
    stderr: str = field(default="")


@contextmanager
def serve_demo(args: list[str], cache_home: Path) -> Iterator[Served]:
    """Run serve-demo with `args`, reading its data from `cache_home` (an XDG_CACHE_HOME)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "datafast_tui.demo.serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,  # it stays near empty: read once the server stopped
        text=True,
        env=env,
    )
    served = None
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            lines.append(process.stdout.readline())
            if "export DATAFAST_BASE_URL=" in lines[-1]:
                break
        assert lines and "export DATAFAST_BASE_URL=" in lines[-1], "".join(lines)
        lines.extend(process.stdout.readline() for _ in range(3))  # the key, the curl hint, Ctrl+C
        served = Served(lines[-4].strip().split("=", 1)[1], lines)
        yield served
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
        if served is not None:
            served.stderr = err
