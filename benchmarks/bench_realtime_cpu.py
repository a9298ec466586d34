"""CPU used by the Realtime screen left open, next to a minimal Textual app, in real terminals (ptys).

All run at the same time, each in its own 120x36 pty:

- a minimal Textual app whose label changes every 5 s (the floor);
- datafast-tui `--screen realtime --demo` at the default interval (a poll every 5 s: the
  live count and the realtime map) against the in-process demo API, so the demo server's
  SQL and JSON work is counted in the app's process: the measure the targets apply to;
- the same screen against the demo served by `serve-demo` in another process over
  loopback HTTP, as with the real API: the app's own cost, without the server's;
- the same screen paused (`p`): what the app shell costs while nothing is polled;
- `--demo` as it runs by default, the demo API in a child process of the app: the CPU of
  both is counted (each process's figure includes its children's).

Once all show their first frame and a warm-up has passed, the CPU time (user + system,
all threads, from /proc/<pid>/stat) of each process is measured over the same 60 s.
Targets: at most 2x the minimal app, and under 3% of one core.

Textual's own input thread wakes ten times a second in any Textual app (the minimal one too);
the app runs on a driver whose input thread sleeps until there is input (quiet_driver.py), so
the whole-process ratio is below what the app's polling alone costs. The main thread's CPU
(the event loop, where the polls and the drawing run) is printed beside it, against the
minimal app's main thread: that ratio is the cost of polling and drawing alone.

The demo's live traffic follows its daily rhythm, and a poll with more news paints more: the
same code measured 1.9x at a quiet hour and 2.7x at a busy one (2026-12-08). To compare two
versions, run them side by side in one window (same traffic), not in runs hours apart.

Then, in-process and headless, the requests the screen really sends per minute (its budget).

Run: python benchmarks/bench_realtime_cpu.py [seconds]   (default 60)
"""

from __future__ import annotations

import asyncio
import os
import re
import select
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

MINIMAL = minimal_app(tick_seconds=5)
TICKS = os.sysconf("SC_CLK_TCK")
WARM_UP = 5.0
#: `--demo` serves from a child process by default (demo_process.py); these runs keep the server
#: in the app's process, so its SQL and JSON are counted with the app's, as the targets say.
IN_PROCESS = {"DATAFAST_DEMO_IN_PROCESS": "1"}


class PtyProcess:
    """A program in its own 120x36 pty; `pump()` drains its output (a full pty would block it)."""

    def __init__(self, name: str, argv: list[str], ready: bytes, keys: bytes = b"",
                 env: dict[str, str] | None = None) -> None:
        self.name, self.ready_pattern, self.keys = name, ready, keys
        self.proc, self.master = spawn_in_pty(argv, env)
        self.seen = b""
        self.ready = False

    def pump(self) -> None:
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return
        if not self.ready:
            self.seen = screen_words(self.seen, chunk)
            self.ready = re.search(self.ready_pattern, self.seen) is not None
            if self.ready and self.keys:
                os.write(self.master, self.keys)  # typed once the first frame is up

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process (all its threads) and its live children so far
        (`--demo`'s own process serving the demo API counts with the app that started it)."""
        return sum(_cpu_of(pid) for pid in [self.proc.pid, *_children_of(self.proc.pid)])

    def event_loop_seconds(self) -> float:
        """CPU time of the process's main thread alone (Textual's event loop: polls, drawing,
        the in-process demo's handlers), without the input and output threads beside it."""
        return _cpu_of(self.proc.pid, f"/proc/{self.proc.pid}/task/{self.proc.pid}/stat")

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()
        os.close(self.master)


def _cpu_of(pid: int, path: str = "") -> float:
    try:
        stat = Path(path or f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile
        return 0.0
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15)


def _children_of(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def pump_for(processes: list[PtyProcess], seconds: float, until_ready: bool = False) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if until_ready and all(p.ready for p in processes):
            return
        ready, _, _ = select.select([p.master for p in processes], [], [], 0.1)
        for p in processes:
            if p.master in ready:
                p.pump()
    if until_ready:
        missing = [p.name for p in processes if not p.ready]
        raise RuntimeError(f"no first frame within {seconds:.0f} s: {', '.join(missing)}")


def serve_demo() -> tuple[subprocess.Popen[str], str]:
    """`serve-demo` on a free loopback port; returns the process and its base URL."""
    server = subprocess.Popen([sys.executable, "-m", "datafast_tui", "serve-demo", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert server.stdout is not None
    for line in server.stdout:
        found = re.search(r"listening on (http://\S+)", line)
        if found:
            return server, found.group(1)
    raise RuntimeError("serve-demo did not start")


def measure_cpu(seconds: float) -> dict[str, float]:
    python = sys.executable
    app = [python, "-m", "datafast_tui", "--screen", "realtime"]
    server, base_url = serve_demo()
    with tempfile.TemporaryDirectory() as tmp:
        config = ["--config", str(Path(tmp) / "none.toml")]
        processes = [
            PtyProcess("minimal", [python, "-c", MINIMAL], rb"minimal-ready"),
            PtyProcess("realtime", [*app, "--demo", *config], rb"LIVE", env=IN_PROCESS),
            PtyProcess("loopback", [*app, "--api-key", "demo", "--base-url", base_url, *config], rb"LIVE"),
            PtyProcess("paused", [*app, "--demo", *config], rb"LIVE", keys=b"p", env=IN_PROCESS),
            PtyProcess("child", [*app, "--demo", *config], rb"LIVE"),
        ]
        try:
            pump_for(processes, 60, until_ready=True)
            pump_for(processes, WARM_UP)
            start = {p.name: p.cpu_seconds() for p in processes}
            loops = {p.name: p.event_loop_seconds() for p in processes}
            pump_for(processes, seconds)
            return {**{p.name: p.cpu_seconds() - start[p.name] for p in processes},
                    **{f"{p.name} loop": p.event_loop_seconds() - loops[p.name] for p in processes}}
        finally:
            for p in processes:
                p.stop()
            server.kill()
            server.wait()


async def requests_per_minute(polls: int) -> tuple[int, float]:
    """Requests the Realtime screen sends per minute at the default interval, headless, in real
    time: counted from the end of one poll to the end of the poll `polls` later, so the window
    holds whole intervals (a fixed 60 s window caught 12 or 13 polls depending on where it fell).
    It starts at the third poll: after the first one the alerts load the usual traffic for the
    hour once (2 requests, again when the hour turns), which is not the steady rate."""
    from datafast_tui.api.ratelimit import RateLimiter
    from datafast_tui.app import DataFastApp
    from datafast_tui.cli import parse_settings
    from datafast_tui.store_factory import open_store

    async def store(connection):
        return await open_store(connection, rate_limiter=RateLimiter(10_000, 60))

    with tempfile.TemporaryDirectory() as tmp:
        settings = parse_settings(["--demo", "--screen", "realtime", "--config", f"{tmp}/none.toml"], {})
        app = DataFastApp(settings, store_factory=store)
        async with app.run_test(size=(120, 36)) as pilot:
            async def after_poll(count: int) -> tuple[int, float]:
                while app.store is None or app.screen.polls < count:  # type: ignore[attr-defined]
                    await pilot.pause(0.01)
                return app.store.requests_sent, time.monotonic()

            first = max(3, app.screen.polls + 1)  # type: ignore[attr-defined]
            before, start = await after_poll(first)
            after, end = await after_poll(first + polls)
    sent = after - before
    return sent, sent * 60 / (end - start)


def main() -> None:
    from datafast_tui.data.realtime_schedule import DEFAULT_INTERVAL, budget_text

    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    # Warm the demo dataset cache (its first generation takes a few seconds and is not the screen).
    subprocess.run([sys.executable, "-c", "from datafast_tui.demo import open_demo_database as o; o()"], check=True)
    cpu = measure_cpu(seconds)
    app, minimal = cpu["realtime"], cpu["minimal"]
    ratio = app / minimal if minimal > 0 else float("inf")
    share = app / seconds * 100

    def line(label: str, value: float) -> str:
        return f"  {label:<52}{value:6.2f} s  {value / seconds * 100:5.2f}% of one core  {value / minimal:5.2f}x"

    print(f"CPU over the same {seconds:.0f} s, each in a 120x36 pty, all at once (after a {WARM_UP:.0f} s warm-up)")
    print(line("minimal Textual app, label every 5 s", minimal))
    print(line("realtime --demo, poll every 5 s (server in-process)", app))
    print(line("realtime over loopback serve-demo (app only)", cpu["loopback"]))
    print(line("realtime --demo, paused (no polling)", cpu["paused"]))
    print(line("realtime --demo, demo in its own process (app + it)", cpu["child"]))
    loop, minimal_loop = cpu["realtime loop"], cpu["minimal loop"]
    loop_ratio = loop / minimal_loop if minimal_loop > 0 else float("inf")
    print(f"  main thread only (the event loop, without Textual's input thread): realtime {loop:.2f} s,"
          f" minimal {minimal_loop:.2f} s: {loop_ratio:.2f}x")
    print(f"  ratio realtime --demo / minimal: {ratio:.2f}x  (target <= 2x: {'PASS' if ratio <= 2 else 'FAIL'})")
    print(f"  realtime --demo, share of one core: {share:.2f}%  (target < 3%: {'PASS' if share < 3 else 'FAIL'})")
    figure("realtime: CPU vs minimal app (60 s, pty)", ratio, "x", target="<= 2x", ok=ratio <= 2)
    figure("realtime: share of one core", share, "%", target="< 3%", ok=share < 3)
    figure("realtime: event loop CPU vs minimal app's", loop_ratio, "x")
    figure("realtime paused: CPU vs minimal app", cpu["paused"] / minimal if minimal else 0.0, "x")
    figure("realtime, demo in its own process (the default): app + it vs minimal app",
           cpu["child"] / minimal if minimal else 0.0, "x")
    sent, per_minute = asyncio.run(requests_per_minute(12))
    figure("realtime: requests per minute at 5 s", per_minute, "req/min", target="<= 24 (40% of 60)",
           ok=per_minute <= 24.5)
    print(f"request budget at the default interval ({DEFAULT_INTERVAL:g} s): {budget_text(DEFAULT_INTERVAL)}")
    print(f"  measured: {sent} requests over 12 polls headless = {per_minute:.1f}/min")


if __name__ == "__main__":
    main()
