"""A realtime feed of 1,000 events: merging polls, building rows, and redrawing the list.

The feed history is raised to 1,000 items (the screen keeps 500) and filled by 40 polls of
50 overlapping events; then a LiveList holding the 1,000 rows is updated with one more poll
in a headless 120x36 app. Printed: merge time per poll, row building, and the time from
`set_rows` to the next frame (the list draws only its visible lines). Target: under 50 ms,
i.e. no visible stall at a 2 s poll interval. Run: python benchmarks/bench_scale_feed.py
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

# Run as a script, this folder is on sys.path: run_all.py reads what figure() reports.
from figures import figure  # noqa: E402
from textual.app import App, ComposeResult

from datafast_tui.api.models_realtime import RealtimeEvent
from datafast_tui.data.realtime_feed import FeedHistory
from datafast_tui.screens.realtime_view import event_rows
from datafast_tui.widgets.feed import Column, LiveList

EVENTS = 1000
BATCH = 50
START = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)
ZONE = ZoneInfo("America/New_York")
TARGET_MS = 50.0


def event(i: int) -> RealtimeEvent:
    return RealtimeEvent(
        id=f"{i:024x}", type="pageview" if i % 9 else "custom", visitor_id=f"v{i % 97}",
        timestamp=START + timedelta(seconds=3 * i), path=f"/blog/post-{i % 40}/section-{i}",
        country_code=("US", "FR", "DE", "JP")[i % 4], extra_data={"eventName": "signup"} if i % 9 == 0 else {},
        referrer=None, customer_name=None, amount=None, display_name=None,
    )


class FeedApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LiveList([Column("Time", 8), Column("Kind", 4), Column("Page or goal", 30, flex=True, middle=True),
                        Column("Country", 7), Column("Visitor", 12)], id="feed")


async def main() -> None:
    history: FeedHistory[RealtimeEvent] = FeedHistory(key=lambda e: e.id, when=lambda e: e.timestamp,
                                                      limit=EVENTS)
    events = [event(i) for i in range(EVENTS + BATCH)]
    merges = []
    for start in range(0, EVENTS, BATCH // 2):  # each poll overlaps the previous by half
        batch = sorted(events[start:start + BATCH], key=lambda e: e.timestamp, reverse=True)
        began = time.perf_counter()
        history.merge(batch)
        merges.append(time.perf_counter() - began)
    began = time.perf_counter()
    rows = event_rows(history, ZONE)
    build = time.perf_counter() - began

    app = FeedApp()
    updates = []
    async with app.run_test(size=(120, 36)) as pilot:
        feed = app.query_one(LiveList)
        feed.set_rows(rows)
        await pilot.pause()
        for poll in range(10):
            history.merge(sorted(events[EVENTS - BATCH + poll * 5: EVENTS + poll * 5], key=lambda e: e.timestamp,
                                 reverse=True))
            began = time.perf_counter()
            fresh_rows = event_rows(history, ZONE)
            feed.set_rows(fresh_rows, fresh={fresh_rows[0].key})
            await pilot.pause()
            updates.append(time.perf_counter() - began)
    merge_ms = statistics.median(merges) * 1000
    update_ms = statistics.median(updates) * 1000
    print(f"realtime feed of {len(history):,} events (history limit raised to {EVENTS:,}; the screen keeps 500)")
    print(f"  merge one poll of {BATCH} overlapping events: median {merge_ms:.2f} ms")
    print(f"  build {len(rows):,} rows: {build * 1000:.1f} ms")
    print(f"  new poll -> rows -> list redrawn (headless frame): median {update_ms:.1f} ms  "
          f"(target < {TARGET_MS:.0f} ms: {'PASS' if update_ms < TARGET_MS else 'FAIL'})")
    figure("feed: merge one poll (1,000-event history)", merge_ms, "ms")
    figure("feed: 1,000-event list updated and redrawn", update_ms, "ms", target=f"< {TARGET_MS:.0f} ms",
           ok=update_ms < TARGET_MS)


if __name__ == "__main__":
    asyncio.run(main())
