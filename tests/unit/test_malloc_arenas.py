"""The arena cap is taken on glibc and harmless elsewhere."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_the_arena_cap_is_taken_on_linux() -> None:
    script = "from datafast_tui.malloc_arenas import limit_malloc_arenas as l; print(l())"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() in ("True", "False")  # False on musl
