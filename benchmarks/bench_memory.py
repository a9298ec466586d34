"""Resident memory of the app after a user's tour, against a minimal Textual app.

Each program runs headless (`run_test`, 120x36) in a fresh Python process that then reads
its own VmRSS (and its peak, VmHWM) from /proc/self/status. The app runs on the embedded
demo (the platform cache dir, warmed first, as a user's second start of the day) and visits
every screen 1-6 and every Breakdowns tab, waiting for each to load, like a user paging
through. The minimal app shows one Static. Target: the app at most 80 MB.

Run: python benchmarks/bench_memory.py [runs]   (Linux only: it reads /proc)
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

# Run as a script, this folder is on sys.path: run_all.py reads what figure() reports.
from figures import figure  # noqa: E402
from headless_demo import headless_demo  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 80.0


def _status() -> dict[str, float]:
    """VmRSS and VmHWM of this process, in MB."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                fields[name] = int(value.split()[0]) / 1024
    return fields


async def _tour() -> dict[str, float]:
    from datafast_tui.api.catalogue import BREAKDOWNS
    from datafast_tui.screens import SCREENS

    async with headless_demo() as (app, pilot, settle):
        await settle()
        for entry in SCREENS:
            await pilot.press(entry.key)
            await settle()
            if app.current_mode != entry.name:
                raise RuntimeError(f"key {entry.key} showed {app.current_mode}, not {entry.name}")
            if entry.name == "breakdowns":
                for _ in BREAKDOWNS[1:]:
                    await pilot.press("l")
                    await settle()
        await pilot.press("1")
        await settle()
        return {**_status(), "requests": app.store.requests_sent}


async def _minimal() -> dict[str, float]:
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        def compose(self):
            yield Static("minimal-ready")

    app = Minimal()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.pause()
        return _status()


def child(which: str) -> None:
    if which == "app":  # what `datafast-tui` does first (cli.main), the minimal app does not
        from datafast_tui.httpx_cli import defer_httpx_cli
        from datafast_tui.malloc_arenas import limit_malloc_arenas

        limit_malloc_arenas()
        defer_httpx_cli()
    print(json.dumps(asyncio.run(_tour() if which == "app" else _minimal())))


def measure(which: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.pop("DATAFAST_API_KEY", None)
    env.pop("DATAFAST_BENCH_FIGURES", None)  # the child's output is one JSON line
    out = subprocess.run([sys.executable, __file__, "--child", which], capture_output=True, text=True,
                         env=env, check=True, timeout=300).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    # Warm the demo dataset cache (a first start of the day generates it: not what is measured).
    subprocess.run([sys.executable, "-c", "from datafast_tui.demo import open_demo_database as o; o().close()"],
                   check=True, cwd=ROOT)
    apps, minimals = [], []
    for _ in range(runs):
        minimals.append(measure("minimal"))
        apps.append(measure("app"))
    app_rss = statistics.median(a["VmRSS"] for a in apps)
    app_peak = statistics.median(a["VmHWM"] for a in apps)
    minimal_rss = statistics.median(m["VmRSS"] for m in minimals)
    ratio = app_rss / minimal_rss
    print(f"resident memory (VmRSS) after the run, headless 120x36, median of {runs} runs")
    print(f"  minimal Textual app (one Static):           {minimal_rss:6.1f} MB")
    print(f"  datafast-tui demo, every screen and tab:    {app_rss:6.1f} MB  (peak {app_peak:.1f} MB)")
    print(f"  ratio: {ratio:.2f}x  (target <= {TARGET_MB:.0f} MB: {'PASS' if app_rss <= TARGET_MB else 'FAIL'})")
    print("  each app run (RSS / anon / file / peak MB, requests): "
          + "; ".join(f"{a['VmRSS']:.0f} / {a.get('RssAnon', 0):.0f} / {a.get('RssFile', 0):.0f} / {a['VmHWM']:.0f},"
                      f" {a['requests']:.0f}" for a in apps))
    figure("RSS: minimal Textual app", minimal_rss, "MB")
    figure("RSS: demo after every screen and tab", app_rss, "MB", target=f"<= {TARGET_MB:.0f} MB", floor=minimal_rss,
           ok=app_rss <= TARGET_MB)
    figure("RSS: peak (VmHWM) of that run", app_peak, "MB")


if __name__ == "__main__":
    main()
