"""The Visitor screen's costs: opening a visitor, a huge timeline, live form validation.

1. Open a visitor in the app (headless, 120x36, in-process demo): from `open_visitor` to the
   panels drawn, fetching each time (no cache), median of several visitors.
2. A synthetic visitor with 5,000 pageviews and 500 goals: merging the timeline, laying out
   its rows, and filling the DataTable (until the next idle, when the table has measured).
3. One live validation of the payment form and of the goal form (what every keystroke costs).

Run: python benchmarks/bench_visitor.py [visitors]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

# Run as a script, this folder is on sys.path: run_all.py reads what figure() reports.
from figures import figure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual.app import App  # noqa: E402

from datafast_tui.api.models_visitor import Visitor  # noqa: E402
from datafast_tui.api.ratelimit import RateLimiter  # noqa: E402
from datafast_tui.app import DataFastApp  # noqa: E402
from datafast_tui.cli import parse_settings  # noqa: E402
from datafast_tui.data.recent_visitors import STATE_DIR_ENV  # noqa: E402
from datafast_tui.data.visitor_facts import timeline  # noqa: E402
from datafast_tui.data.write_forms import PaymentFields, goal_form, payment_form  # noqa: E402
from datafast_tui.screens.visitor import TIMELINE_COLUMNS, TIMELINE_LIMIT, VisitorScreen  # noqa: E402
from datafast_tui.screens.visitor_view import timeline_layout  # noqa: E402
from datafast_tui.store_factory import DemoOptions, open_store  # noqa: E402
from datafast_tui.widgets.timeline_table import TimelineTable  # noqa: E402

NOW = datetime(2026, 11, 26, 15, 30, tzinfo=timezone.utc)
ZONE = ZoneInfo("America/New_York")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


async def open_visitors(count: int, cache: Path) -> list[float]:
    async def store(connection):
        return await open_store(connection, demo=DemoOptions(clock=lambda: NOW, cache_dir=cache),
                                rate_limiter=RateLimiter(10_000, 60))

    settings = parse_settings(["--demo", "--screen", "visitor", "--config", str(cache / "none.toml")], {})
    app = DataFastApp(settings, store_factory=store, clock=lambda: NOW)
    times: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(6):
            await app.workers.wait_for_complete()
            await pilot.pause()
        ids = [v.visitor_id for v in (await app.store.realtime_map()).value.visitors][:count]
        for visitor_id in ids:
            app.store.invalidate(["visitor"])
            started = time.perf_counter()
            app.open_visitor(visitor_id)
            screen = app.screen
            assert isinstance(screen, VisitorScreen)
            while screen.visitor is None or screen.visitor.visitor_id != visitor_id:
                await pilot.pause()
            await pilot.pause()  # the frame that shows it
            times.append(time.perf_counter() - started)
    return times


def huge_visitor(pages: int, goals: int) -> Visitor:
    start = NOW - timedelta(days=90)
    visited = [{"url": f"example.com/docs/page-{i % 300}", "timestamp": (start + timedelta(minutes=20 * i)).isoformat()}
               for i in range(pages)]
    completed = [{"name": f"goal_{i % 12}", "description": "A goal", "isServer": i % 3 == 0,
                  "timestamp": (start + timedelta(minutes=200 * i + 7)).isoformat(), "metadata": {"plan": "pro"}}
                 for i in range(goals)]
    return Visitor.from_json({"visitorId": "v", "identity": {}, "activity": {
        "visitCount": 40, "pageViewCount": pages, "visitedPages": visited, "completedCustomGoals": completed,
    }, "prediction": None})


async def fill_table(layout) -> float:
    class Host(App):
        def compose(self):
            yield TimelineTable()

    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(TimelineTable)
        started = time.perf_counter()
        for label, width in zip(TIMELINE_COLUMNS, layout.widths, strict=True):
            table.add_column(label, width=width)
        table.add_rows(layout.rows)
        await pilot.pause()
        await pilot.pause()
        return time.perf_counter() - started


def per_call(fn, runs: int = 2000) -> float:
    started = time.perf_counter()
    for _ in range(runs):
        fn()
    return (time.perf_counter() - started) / runs


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ[STATE_DIR_ENV] = tmp  # the recent-visitors list goes there, not to the user's
        times = await open_visitors(count, Path(tmp))
    figure("visitor: open (fetch + draw), median", statistics.median(times) * 1000, "ms")
    print(f"open a visitor (fetch + draw), {len(times)} visitors: median {ms(statistics.median(times))}, "
          f"max {ms(max(times))}")

    visitor = huge_visitor(5000, 500)
    started = time.perf_counter()
    entries = timeline(visitor.activity)
    merged = time.perf_counter() - started
    started = time.perf_counter()
    layout = timeline_layout(entries, ZONE, 70)
    laid_out = time.perf_counter() - started
    filled = await fill_table(layout)
    capped = await fill_table(timeline_layout(entries[:TIMELINE_LIMIT], ZONE, 70))
    print(f"timeline of {len(entries):,} entries: merge {ms(merged)}, layout {ms(laid_out)}, "
          f"DataTable fill to idle {ms(filled)} (all) / {ms(capped)} (the {TIMELINE_LIMIT:,} newest, as shown)")

    fields = PaymentFields("1,234.50", "eur", "tui-0123456789ab", "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd",
                           "ann@example.com", "Ann", "cus_1", timestamp="2026-11-26 09:15")
    pay = per_call(lambda: payment_form(fields, ZONE, NOW))
    goal = per_call(lambda: goal_form("a3ab2331-989f-4cfa-91c6-2461c9e3c6bd", "trial_started",
                                      [(f"k{i}", "v" * 50) for i in range(10)]))
    figure(f"visitor: timeline of {len(entries):,} entries, merge + layout", (merged + laid_out) * 1000, "ms")
    figure("visitor: live form validation per keystroke", pay * 1e6, "µs")
    print(f"live validation per keystroke: payment form {pay * 1e6:.0f} µs, goal form (10 metadata rows) "
          f"{goal * 1e6:.0f} µs")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 8))
