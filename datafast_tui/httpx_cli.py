"""Keep httpx's command-line tool out of the app's start-up.

`import httpx` imports `httpx._main` (its `httpx` command) for `httpx.main`, and with it
click, pygments and rich's syntax highlighting: about 30 ms of every start (more on a busy
machine), for a command the app never runs. Before httpx is first imported, a stand-in
module takes its place whose `main` imports the real one when called, so `httpx.main`
still works for anyone who calls it.
"""

from __future__ import annotations

import sys
import types
from typing import Any

_NAME = "httpx._main"


def defer_httpx_cli() -> None:
    """Put the stand-in in place (a no-op once httpx is imported)."""
    if "httpx" in sys.modules or _NAME in sys.modules:
        return
    stand_in = types.ModuleType(_NAME, "stand-in for httpx's command line tool, imported on first use")

    def main(*args: Any, **kwargs: Any) -> Any:
        if sys.modules.get(_NAME) is stand_in:
            del sys.modules[_NAME]
        from httpx._main import main as real_main

        return real_main(*args, **kwargs)

    stand_in.main = main  # type: ignore[attr-defined]
    sys.modules[_NAME] = stand_in
