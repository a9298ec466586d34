"""Start-up time to KPI numbers painted, in a real terminal (pty), against a minimal Textual app.

Both programs start the same way: a fresh Python process in an 120x36 pty. We time from
the fork until the first frame that shows what matters: for datafast-tui the KPI numbers
in demo mode (a bounce-rate percentage appears only once they are painted), for the
minimal app its label. The demo dataset cache is warmed first. Target: at most 1.5x.

Then, in-process, the number of requests of a scripted visit: open, change the range twice,
add and remove a filter, toggle compare.

Run: python benchmarks/bench_startup.py [runs]
"""

from __future__ import annotations

import asyncio
import os
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this folder is on sys.path: run_all.py reads what figure() reports.
from figures import figure  # noqa: E402
from pty_spawn import minimal_app, screen_words, spawn_in_pty  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MINIMAL = minimal_app()


def time_to_text(argv: list[str], pattern: bytes, timeout: float = 60.0) -> float:
    """Seconds from starting `argv` in a 120x36 pty until `pattern` appears on screen."""
    started = time.perf_counter()
    proc, master = spawn_in_pty(argv)
    seen = b""
    found = None
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen = screen_words(seen, chunk)
            if re.search(pattern, seen):
                found = time.perf_counter() - started
                break
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
    if found is None:
        raise RuntimeError(f"{argv[-1]!r}: {pattern!r} never appeared within {timeout:.0f} s")
    return found


async def scripted_visit_requests() -> dict[str, int]:
    from datafast_tui.api.filters import Filter
    from datafast_tui.api.ratelimit import RateLimiter
    from datafast_tui.app import DataFastApp
    from datafast_tui.cli import parse_settings
    from datafast_tui.store_factory import open_store

    async def store(connection):
        return await open_store(connection, rate_limiter=RateLimiter(10_000, 60))

    with tempfile.TemporaryDirectory() as tmp:
        settings = parse_settings(["--demo", "--config", f"{tmp}/none.toml"], {})
        app = DataFastApp(settings, store_factory=store)
        counts: dict[str, int] = {}
        async with app.run_test(size=(120, 36)) as pilot:
            async def settle() -> None:
                for _ in range(6):
                    await app.workers.wait_for_complete()
                    await pilot.pause()

            async def step(label: str, *keys: str, action=None) -> None:
                before = app.store.requests_sent if app.store else 0
                if action is not None:
                    action()
                await pilot.press(*keys)
                await settle()
                counts[label] = app.store.requests_sent - before

            await settle()
            counts["open"] = app.store.requests_sent
            await step("range: last 7 days", "d", "7")
            await step("range: last 90 days", "d", "9")
            await step("add filter country", action=lambda: app.add_filter(Filter("country", "is", ("Germany",))))
            await step("remove filter", action=lambda: app.remove_filter("country"))
            await step("toggle compare", "c")
        return counts


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    python = sys.executable
    # Warm the demo dataset cache (first generation takes a few seconds and is not start-up).
    subprocess.run([python, "-c", "from datafast_tui.demo import open_demo_database as o; o()"], check=True)
    app_times, minimal_times = [], []
    for _ in range(runs):
        minimal_times.append(time_to_text([python, "-c", MINIMAL], rb"minimal-ready"))
        app_times.append(time_to_text([python, "-m", "datafast_tui", "--demo", "--config", os.devnull],
                                      rb"\d{1,3}\.\d%"))
    app_median, minimal_median = statistics.median(app_times), statistics.median(minimal_times)
    ratio = app_median / minimal_median
    print(f"start-up to first useful frame, pty 120x36, median of {runs} runs")
    print(f"  minimal Textual app (label shown):   {minimal_median * 1000:7.0f} ms")
    print(f"  datafast-tui demo (KPIs painted):    {app_median * 1000:7.0f} ms")
    print(f"  ratio: {ratio:.2f}x  (target <= 1.5x: {'PASS' if ratio <= 1.5 else 'FAIL'})")
    figure("start-up: minimal Textual app, first frame (pty)", minimal_median * 1000, "ms")
    figure("start-up: demo to KPIs painted (pty)", app_median * 1000, "ms")
    figure("start-up: ratio to minimal app", ratio, "x", target="<= 1.5x", ok=ratio <= 1.5)
    counts = asyncio.run(scripted_visit_requests())
    figure("requests of a scripted visit (6 steps)", sum(counts.values()), "req", target="< 60 per minute",
           ok=sum(counts.values()) < 60)
    print("requests of a scripted visit (demo, in-process):")
    for label, count in counts.items():
        print(f"  {label:<24}{count:>4}")
    print(f"  {'total':<24}{sum(counts.values()):>4}  (budget: 60 per minute)")


if __name__ == "__main__":
    main()
