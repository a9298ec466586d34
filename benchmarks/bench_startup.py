"""Start-up time to KPI numbers painted, in a real terminal (pty), against a minimal Textual app.

All programs start the same way: a fresh Python process in a 120x36 pty. We time from the
fork until the first frame that shows what matters: for datafast-tui the KPI numbers (a
bounce-rate percentage appears only once they are painted), for the minimal app its label.
Measured, one after another in each round (so load on the machine hits all alike):

- the minimal Textual app (the floor);
- the demo with the answers kept from the last run (the default: they paint at once, then
  the live ones replace them), and without them (--no-cache); the demo API is served by a
  child process of the app, as `--demo` does by default (demo_process.py);
- a "real" API: serve-demo in another process behind a loopback proxy adding a 120 ms
  round trip, reached with --base-url and a key, with and without kept answers.

The package is byte-compiled first, as `pip install` leaves it. The demo dataset and the kept
answers are warmed first, in a private cache folder (a first
generation takes seconds and is not start-up). Target: the kept-answer starts at most 2.0x
the minimal app (aim 1.5x). Then, in-process, the requests of a scripted visit.

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
from headless_demo import headless_demo  # noqa: E402
from latency_proxy import LatencyProxy  # noqa: E402
from pty_spawn import minimal_app, screen_words, spawn_in_pty  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MINIMAL = minimal_app()


KPIS = rb"\d{1,3}\.\d%"
#: Round trip the proxy adds to every request of the "real API" runs.
RTT_SECONDS = 0.120
TARGET = 2.0


def time_to_text(argv: list[str], pattern: bytes, timeout: float = 60.0, env: dict[str, str] | None = None,
                 linger: float = 0.0) -> float:
    """Seconds from starting `argv` in a 120x36 pty until `pattern` appears on screen; with
    `linger`, the program runs that much longer (its answers are kept) before it is stopped."""
    started = time.perf_counter()
    proc, master = spawn_in_pty(argv, env)
    seen = b""
    found = None
    try:
        while time.perf_counter() - started < timeout:
            if found is not None and time.perf_counter() - started >= found + linger:
                break
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen = screen_words(seen, chunk)
            if found is None and re.search(pattern, seen):
                found = time.perf_counter() - started
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
    if found is None:
        raise RuntimeError(f"{argv[-1]!r}: {pattern!r} never appeared within {timeout:.0f} s")
    return found


async def scripted_visit_requests() -> dict[str, int]:
    from datafast_tui.api.filters import Filter

    counts: dict[str, int] = {}
    async with headless_demo() as (app, pilot, settle):
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


def serve_demo(env: dict[str, str]) -> tuple[subprocess.Popen[str], int]:
    """`serve-demo` on a free loopback port (in its own process); returns it and its port."""
    server = subprocess.Popen([sys.executable, "-m", "datafast_tui", "serve-demo", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, **env})
    assert server.stdout is not None
    for line in server.stdout:
        found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if found:
            return server, int(found.group(1))
    raise RuntimeError("serve-demo did not start")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    python = sys.executable
    # Bytecode, as an installed copy has it (pip compiles at install; a checkout with
    # PYTHONDONTWRITEBYTECODE set would compile every module at every start instead).
    subprocess.run([python, "-m", "compileall", "-q", str(ROOT / "datafast_tui")], check=True)
    with tempfile.TemporaryDirectory() as home:
        env = {"XDG_CACHE_HOME": f"{home}/cache", "XDG_STATE_HOME": f"{home}/state",
               "DATAFAST_TUI_STATE_DIR": f"{home}/state/datafast-tui", "DATAFAST_CONFIG": os.devnull}
        # The demo dataset, generated once in the private cache folder (not start-up).
        subprocess.run([python, "-c", "from datafast_tui.demo import open_demo_database as o; o()"], check=True,
                       env={**os.environ, **env})
        server, port = serve_demo(env)
        proxy = LatencyProxy(port, RTT_SECONDS)
        api_url = f"http://127.0.0.1:{proxy.port}/api/v1/"
        api_env = {**env, "DATAFAST_API_KEY": "demo"}
        app = [python, "-m", "datafast_tui"]
        programs = {
            "minimal": ([python, "-c", MINIMAL], rb"minimal-ready", env),
            "demo, kept answers": ([*app, "--demo"], KPIS, env),
            "demo, nothing kept": ([*app, "--demo", "--no-cache"], KPIS, env),
            "API 120 ms away, kept answers": ([*app, "--base-url", api_url], KPIS, api_env),
            "API 120 ms away, nothing kept": ([*app, "--base-url", api_url, "--no-cache"], KPIS, api_env),
        }
        try:
            for name in ("demo, kept answers", "API 120 ms away, kept answers"):  # keep their answers
                argv, pattern, program_env = programs[name]
                time_to_text(argv, pattern, env=program_env, linger=4.0)
            times: dict[str, list[float]] = {name: [] for name in programs}
            for _ in range(runs):
                for name, (argv, pattern, program_env) in programs.items():
                    times[name].append(time_to_text(argv, pattern, env=program_env))
        finally:
            server.kill()
            server.wait()
    medians = {name: statistics.median(values) for name, values in times.items()}
    floor = medians["minimal"]
    print(f"start-up to first useful frame, pty 120x36, median of {runs} runs")
    for name, median in medians.items():
        ratio = median / floor
        kept = "kept answers" in name
        verdict = "" if name == "minimal" else (f"  (target <= {TARGET}x: {'PASS' if ratio <= TARGET else 'FAIL'})"
                                               if kept else "  (reference)")
        print(f"  {name:<32} {median * 1000:7.0f} ms  {ratio:5.2f}x{verdict}")
        if name == "minimal":
            figure("start-up: minimal Textual app, first frame (pty)", median * 1000, "ms")
        else:
            figure(f"start-up: {name}, KPIs painted (pty)", median * 1000, "ms", floor=floor * 1000,
                   target=f"<= {TARGET}x floor" if kept else "", ok=ratio <= TARGET if kept else None)
    counts = asyncio.run(scripted_visit_requests())
    figure("requests of a scripted visit (6 steps)", sum(counts.values()), "req", target="< 60 per minute",
           ok=sum(counts.values()) < 60)
    print("requests of a scripted visit (demo, in-process):")
    for label, count in counts.items():
        print(f"  {label:<24}{count:>4}")
    print(f"  {'total':<24}{sum(counts.values()):>4}  (budget: 60 per minute)")


if __name__ == "__main__":
    main()
