"""httpx's command-line tool stays out of the app's start-up, and still works when called."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from datafast_tui.httpx_cli import defer_httpx_cli
defer_httpx_cli()
import httpx
assert "click" not in sys.modules and "pygments" not in sys.modules, "httpx's CLI was imported"
try:
    httpx.main(["--help"])
except SystemExit as exit:
    assert exit.code == 0
assert "click" in sys.modules
"""


def test_httpx_cli_is_deferred_and_still_runs() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
