"""The Breakdowns screen on big tables: 10,000 cities served in pages of 1000 with latency, then 100,000.

An httpx.MockTransport answers like the API (visitors descending, limit/offset, a total)
after LATENCY seconds. The app runs headless at 120x36 on the Breakdowns screen. Printed:

- first page painted: from the moment the first cities response is ready to the first
  frame that draws a city row (target: under 300 ms);
- load all: from pressing `s` to a sort that needs every row until the 10,000 rows are in
  (10 requests, 4 at a time, so about 3 x LATENCY of waiting);
- sort: for each column and direction, the sort of the rows alone, then the screen's own
  path (sort, table updated, status line) until the table's visible rows are drawn (targets:
  10,000 rows in at most 30 ms, 100,000 in at most 100 ms), and until the whole screen's next
  frame through Pilot (which adds its own event round trip, printed too). The 100,000 rows are
  built in memory and handed to the tab as if their last page had just come (fetching them
  through the mock transport would only time JSON parsing); what the tab does with them then
  (columns, widths, each shown column's sort keys and orders) is printed as "rows arrived";
- memory: Python allocations of 10,000 parsed rows and of the first sort by a column (its
  keys and both orders, kept as rows come, and the view; tracemalloc),
  and the process's peak RSS.

Run: python benchmarks/bench_breakdowns.py
"""

from __future__ import annotations

import asyncio
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import httpx

# Run as a script, this folder is on sys.path: run_all.py reads what figure() reports.
from figures import figure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datafast_tui.api.client import DataFastClient  # noqa: E402
from datafast_tui.api.models import Breakdown  # noqa: E402
from datafast_tui.api.query import Query  # noqa: E402
from datafast_tui.api.ratelimit import RateLimiter  # noqa: E402
from datafast_tui.app import DataFastApp  # noqa: E402
from datafast_tui.cli import parse_settings  # noqa: E402
from datafast_tui.data.breakdown_columns import columns_for  # noqa: E402
from datafast_tui.data.breakdown_rows import BreakdownRows, SortOrder  # noqa: E402
from datafast_tui.data.store import AnalyticsStore  # noqa: E402
from datafast_tui.screens.breakdowns import BreakdownsScreen  # noqa: E402
from datafast_tui.widgets.breakdown_table import BreakdownTable  # noqa: E402

ROWS = 10_000
BIG_ROWS = 100_000
PAGE = 1000
LATENCY = 0.080
FIRST_PAINT_TARGET_MS = 300
#: The slowest sort (any column, either direction) until the table's visible rows are drawn.
SORT_TARGET_MS = {ROWS: 30, BIG_ROWS: 100}
REPEAT = 5  # each sort is timed this many times; the median is printed (the machine is shared)


def make_cities(count: int) -> list[dict[str, object]]:
    rng = random.Random(5)
    syllables = ["san", "ta", "ber", "lin", "par", "is", "os", "lo", "kyo", "to", "mad", "rid", "ro", "ma", "vi"]
    rows = []
    for index in range(count):
        name = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).title() + f" {index}"
        visitors = max(1, int(50_000 / (index + 1) ** 0.8))
        rows.append({"city": name, "visitors": visitors, "revenue": round(rng.random() * visitors * 3, 2)})
    return rows


CITIES = make_cities(ROWS)
METADATA = {"status": "success", "data": [{"domain": "big.example", "timezone": "UTC", "name": "Big",
                                           "currency": "USD"}]}


class Clock:
    """When the first cities page was handed back, and when a city row was first drawn."""

    response: float | None = None
    painted: float | None = None


def body(endpoint: str, rows: list[dict[str, object]], params: httpx.QueryParams) -> dict[str, object]:
    limit, offset = int(params.get("limit", 100)), int(params.get("offset", 0))
    page = rows[offset:offset + limit]
    return {"status": "success", "data": page, "pagination": {"limit": limit, "offset": offset, "total": len(rows)}}


async def handler(request: httpx.Request) -> httpx.Response:
    await asyncio.sleep(LATENCY)
    name = request.url.path.rsplit("/", 1)[-1]
    if name == "metadata":
        return httpx.Response(200, json=METADATA)
    if name == "realtime":
        return httpx.Response(200, json={"status": "success", "data": [{"visitors": 3}]})
    if name == "overview":
        return httpx.Response(200, json={"status": "success", "data": [{"visitors": 400_000}]})
    rows = CITIES if name == "cities" else [{name.rstrip("s"): "x", "visitors": 1, "revenue": 0}]
    response = httpx.Response(200, json=body(name, rows, request.url.params))
    if name == "cities" and request.url.params.get("offset") == "0" and Clock.response is None:
        Clock.response = time.perf_counter()
    return response


def watch_paint() -> None:
    """Record the first frame that draws a city row (wraps the widget's render_line)."""
    original = BreakdownTable.render_line

    def render_line(self: BreakdownTable, y: int):  # noqa: ANN202
        strip = original(self, y)
        if Clock.response is not None and Clock.painted is None and y == 1 and self.row_count > 1 \
                and "Cities" in str(self.screen.query_one("#tab-cities").label):
            Clock.painted = time.perf_counter()
        return strip

    BreakdownTable.render_line = render_line  # type: ignore[method-assign]


async def until(condition, timeout: float = 30.0) -> None:  # noqa: ANN001
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark condition not reached")
        await asyncio.sleep(0.002)


def rows_in_memory(query: Query, count: int) -> BreakdownRows:
    """`count` cities parsed as the API's pages would be, without a transport."""
    cities = make_cities(count)
    rows = BreakdownRows("cities", query)
    for offset in range(0, count, PAGE):
        page = body("cities", cities, httpx.QueryParams({"limit": PAGE, "offset": offset}))
        rows.add_page(Breakdown.from_json("cities", page), offset=offset, limit=PAGE)
    return rows


async def time_sorts(pilot, screen: BreakdownsScreen) -> dict[str, tuple[float, ...]]:  # noqa: ANN001
    """Per column and direction, the medians of: rows.view alone; the screen's sort; + the table's
    visible rows drawn; + Pilot's whole next frame (all from the start of the screen's sort)."""
    state = screen.state
    table = screen.query_one(BreakdownTable)
    sorts = {}
    for column in state.shown:
        for descending in (True, False):
            order = SortOrder(column.key, descending)
            timings = []
            for _ in range(REPEAT):
                t0 = time.perf_counter()
                state.rows.view(state.columns, order)  # type: ignore[union-attr]
                t1 = time.perf_counter()
                screen._sort(order)  # noqa: SLF001 - the screen's own path: view, table, status line
                t2 = time.perf_counter()
                table.render_lines(table.size.region)  # every visible line of the table, drawn
                t3 = time.perf_counter()
                await pilot.pause()  # the whole screen's next frame
                t4 = time.perf_counter()
                timings.append([(t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t1) * 1000, (t4 - t1) * 1000])
            sorts[f"{column.key} {'▼' if descending else '▲'}"] = tuple(
                statistics.median(t[i] for t in timings) for i in range(4))
    return sorts


async def app_figures() -> dict[str, object]:
    async def store_factory(connection) -> AnalyticsStore:  # noqa: ANN001
        client = DataFastClient("bench-key", transport=httpx.MockTransport(handler),
                                rate_limiter=RateLimiter(10_000, 60))
        return AnalyticsStore(client)

    # --refresh 3600: no automatic refresh replaces the 100,000 rows with the transport's 10,000.
    settings = parse_settings(["--api-key", "bench-key", "--screen", "breakdowns", "--config", "/nonexistent.toml",
                               "--refresh", "3600"], {})
    app = DataFastApp(settings, store_factory=store_factory)
    watch_paint()
    figures: dict[str, object] = {}
    async with app.run_test(size=(120, 36)) as pilot:
        await until(lambda: isinstance(app.screen, BreakdownsScreen) and app.screen.state.view)
        screen = app.screen
        assert isinstance(screen, BreakdownsScreen)
        for _ in range(6):  # to the Cities tab
            await pilot.press("l")
        await until(lambda: Clock.painted is not None)
        figures["first_paint_ms"] = (Clock.painted - Clock.response) * 1000  # type: ignore[operator]
        state = screen.state
        await until(lambda: state.total_visitors is not None)
        started = time.perf_counter()
        await pilot.press("s", "s")  # share (the API's order), then revenue: every row is needed
        await until(lambda: state.rows is not None and state.rows.complete and state.progress is None)
        figures["load_all_ms"] = (time.perf_counter() - started) * 1000
        figures["rows"] = len(state.view)
        idle = []
        for _ in range(REPEAT):  # what a Pilot frame costs with nothing to do: its own round trip
            t0 = time.perf_counter()
            await pilot.pause()
            idle.append((time.perf_counter() - t0) * 1000)
        figures["idle_frame_ms"] = statistics.median(idle)
        figures["sorts"] = {ROWS: await time_sorts(pilot, screen)}

        # 100,000 rows, handed to the tab as if their last page had just come.
        assert state.rows is not None
        big = rows_in_memory(state.rows.query, BIG_ROWS)
        currency = screen._loaded_context.currency if screen._loaded_context else None  # noqa: SLF001
        t0 = time.perf_counter()
        state.start(big, currency)
        figures["arrived_ms"] = (time.perf_counter() - t0) * 1000
        screen.tab_changed(state)
        await pilot.pause()
        assert len(state.view) == BIG_ROWS and state.rows is big
        figures["sorts"][BIG_ROWS] = await time_sorts(pilot, screen)  # type: ignore[index]
        assert state.rows is big  # nothing replaced them meanwhile
    figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def model_memory() -> tuple[float, float]:
    """MB allocated by 10,000 parsed rows in a BreakdownRows, and by the first sort by a column (the
    column's keys and both orders, which the rows keep, and the view)."""
    pages = [body("cities", CITIES, httpx.QueryParams({"limit": PAGE, "offset": o})) for o in range(0, ROWS, PAGE)]
    tracemalloc.start()
    rows = BreakdownRows("cities", Query())
    for offset, page in zip(range(0, ROWS, PAGE), pages):
        rows.add_page(Breakdown.from_json("cities", page), offset=offset, limit=PAGE)
    held = tracemalloc.get_traced_memory()[0]
    view = rows.view(columns_for("cities", rows.rows), SortOrder("revenue", True))
    with_view = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(view) == ROWS
    return held / 2**20, (with_view - held) / 2**20


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER TARGET"


def plain_sort_ms(count: int) -> float:
    """The floor: Python's own sort of `count` random floats (one column's keys, no table),
    median of REPEAT runs, in the same run as the screen's sorts."""
    rng = random.Random(7)
    keys = [rng.random() * 1e6 for _ in range(count)]
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        sorted(range(count), key=keys.__getitem__)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def print_sorts(count: int, sorts: dict[str, tuple[float, ...]]) -> None:
    target = SORT_TARGET_MS[count]
    print(f"  sort {count:,} rows per column, median of {REPEAT} runs (target <= {target} ms sorted and drawn):")
    # rows.view: the data sort alone; screen sort: the screen's path (sort, table, status line);
    # + drawn: and the table's visible rows drawn; + frame: and Pilot's whole next frame.
    print(f"    {'column':<22} {'rows.view':>10} {'screen sort':>12} {'+ drawn':>10} {'+ frame':>10}")
    worst, worst_name = 0.0, ""
    for name, (alone, updated, drawn, frame) in sorts.items():
        if drawn > worst:
            worst, worst_name = drawn, name
        print(f"    {name:<22} {alone:7.1f} ms {updated:9.1f} ms {drawn:7.1f} ms {frame:7.1f} ms")
    print(f"  slowest sort of {count:,} rows until drawn: {worst:.1f} ms ({worst_name}; {verdict(worst, target)})")
    size = f"{count // 1000}k"
    floor = plain_sort_ms(count)
    print(f"  floor: Python's sorted() of {count:,} floats: {floor:.1f} ms ({worst / floor:.1f}x)")
    figure(f"breakdowns: sort {size} rows, worst column/direction, until drawn", worst, "ms",
           target=f"<= {target} ms", ok=worst <= target, floor=floor)


def main() -> None:
    figures = asyncio.run(app_figures())
    rows_mb, view_mb = model_memory()
    print(f"Breakdowns benchmark: {ROWS:,} cities in pages of {PAGE}, {LATENCY * 1000:.0f} ms latency, 120x36; "
          f"then {BIG_ROWS:,} built in memory")
    first = figures["first_paint_ms"]
    print(f"  first page painted after its response: {first:7.1f} ms   (target < {FIRST_PAINT_TARGET_MS} ms: "
          f"{verdict(first, FIRST_PAINT_TARGET_MS)})")
    figure("breakdowns: first page painted after response", first, "ms", target=f"< {FIRST_PAINT_TARGET_MS} ms",
           ok=first < FIRST_PAINT_TARGET_MS)
    figure(f"breakdowns: load all {figures['rows']:,} rows", figures["load_all_ms"], "ms")
    print(f"  load all {figures['rows']:,} rows (9 more pages, 4 at a time): {figures['load_all_ms']:7.1f} ms")
    sorts: dict[int, dict[str, tuple[float, ...]]] = figures["sorts"]  # type: ignore[assignment]
    print_sorts(ROWS, sorts[ROWS])
    print(f"  {BIG_ROWS:,} rows arrived (columns, widths, sort keys and orders of every row): "
          f"{figures['arrived_ms']:.1f} ms")
    figure(f"breakdowns: {BIG_ROWS // 1000}k rows arrived (widths, sort keys and orders)", figures["arrived_ms"], "ms")
    print_sorts(BIG_ROWS, sorts[BIG_ROWS])
    print(f"  a Pilot frame with nothing to do costs {figures['idle_frame_ms']:.1f} ms of the '+ frame' column")
    figure(f"breakdowns: memory of {ROWS:,} parsed rows", rows_mb, "MB")
    print(f"  memory: {rows_mb:.1f} MB for {ROWS:,} parsed rows, +{view_mb:.2f} MB per column sorted by; "
          f"process peak RSS {figures['rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
