"""In a real terminal, against a real server: the numbers shown are the numbers of the range in the header.

The scene of issue 13, typed as a person does (keys ~100 ms apart): Overview, compare on, two
steps back. While the new range loads its KPIs say so; once loaded they are that range's
numbers, asked of the same server; at no moment does the new header sit over the old numbers.
The app talks to `datafast-tui serve-demo` over loopback HTTP, so the test can ask the same
server what the right numbers are.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from datafast_tui.api.dates import resolve_preset
from datafast_tui.api.query import Query
from tests.robustness.pty_app import PtyApp, private_env

#: The demo site's timezone: its days are the ones the ranges count.
SITE_ZONE = ZoneInfo("America/New_York")
KPI_LINE = 4  # header, query bar, blank, KPI titles, then the values


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo_server(tmp_path: Path):
    """`datafast-tui serve-demo` on a free loopback port, with a private cache; yields its base URL."""
    port = free_port()
    env = private_env(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "datafast_tui", "serve-demo", "--port", str(port)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/api/v1/"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "analytics/metadata", headers={"Authorization": "Bearer demo"}).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, process.stdout.read() if process.stdout else "serve-demo ended"
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def visitors_of(base: str, query: Query) -> int:
    response = httpx.get(base + "analytics/overview", params=query.params(), headers={"Authorization": "Bearer demo"})
    return int(response.json()["data"][0]["visitors"])


def kpi_visitors(lines: list[str]) -> str:
    """The Visitors card's value as shown ("14,487", or "…" while loading)."""
    words = lines[KPI_LINE].split()
    return words[0] if words else ""


def test_compare_then_two_quick_steps_never_show_old_numbers_under_the_new_range(tmp_path: Path, demo_server) -> None:
    app = PtyApp("--base-url", demo_server, "--api-key", "demo", env=private_env(tmp_path / "app"))
    try:
        first = resolve_preset("last_30_days", datetime.now(timezone.utc), SITE_ZONE)
        app.wait_for_screen(lambda lines: first.label() in lines[1] and re.fullmatch(r"[\d,]+", kpi_visitors(lines)))
        old = kpi_visitors(app.screen())
        app.press("c", "[", "[", pause=0.1)
        today = datetime.now(timezone.utc).astimezone(SITE_ZONE).date()
        target = first.shift(-1, today).shift(-1, today)
        header = target.label()
        expected = f"{visitors_of(demo_server, Query(range=target)):,}"
        assert expected != old, "the test needs two ranges with different numbers"
        # Watch every frame until the new range's numbers are shown: under the new header the
        # Visitors card is loading or right, never the old range's number.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            lines = app.screen()
            shown = kpi_visitors(lines)
            if header in lines[1]:
                assert shown in ("…", expected), f"under {header!r} the Visitors card showed {shown!r}"
                if shown == expected:
                    break
            time.sleep(0.05)
        else:
            raise AssertionError("the new range's numbers never came:\n" + "\n".join(app.screen()))
        assert "compare on" in app.screen()[1]
    finally:
        assert app.quit() == 0
