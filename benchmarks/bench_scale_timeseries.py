"""A year of hourly data through the store, the overview view code and the chart.

A MockTransport serves 8,760 hourly points in pages of 1,000 (20 ms latency each); we time the
store fetching every page, turning it into chart data (values, labels in the site timezone),
building the plotext chart at 120x36 and 80x24, and a repaint from the cache. Run:
python benchmarks/bench_scale_timeseries.py
"""

from __future__ import annotations

import asyncio
import math
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

# Run as a script, this folder is on sys.path: run_all.py reads what figure() reports.
from figures import figure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datafast_tui.api.client import DataFastClient  # noqa: E402
from datafast_tui.api.dates import DateRange  # noqa: E402
from datafast_tui.api.query import Query  # noqa: E402
from datafast_tui.api.ratelimit import RateLimiter  # noqa: E402
from datafast_tui.data.store import AnalyticsStore  # noqa: E402
from datafast_tui.screens.overview_view import chart_data  # noqa: E402

HOURS = 8760
LATENCY = 0.020
START = datetime(2025, 11, 27, tzinfo=timezone.utc)


def point(i: int) -> dict:
    visitors = 40 + 30 * math.sin(i / 24 * 2 * math.pi) + (i % 7) * 3
    return {"visitors": round(visitors), "sessions": round(visitors * 1.3), "revenue": (i % 50) * 1.5,
            "conversion_rate": 0.5, "name": "x", "timestamp": (START + timedelta(hours=i)).isoformat(),
            "revenueBreakdown": {"new": (i % 50) * 1.0, "renewal": (i % 50) * 0.5, "refund": 0.0}}


async def handler(request: httpx.Request) -> httpx.Response:
    await asyncio.sleep(LATENCY)
    limit, offset = int(request.url.params.get("limit", 100)), int(request.url.params.get("offset", 0))
    rows = [point(i) for i in range(offset, min(offset + limit, HOURS))]
    return httpx.Response(200, json={
        "status": "success", "fields": ["visitors", "sessions", "revenue", "conversion_rate"], "interval": "hour",
        "timezone": "UTC", "currency": "$", "totals": {"visitors": 1}, "data": rows,
        "pagination": {"limit": limit, "offset": offset, "total": HOURS},
    })


def build_chart(data, width: int, height: int) -> float:
    """Seconds to build the chart as TimeChart does, without a running app."""
    from plotext._figure import _figure_class as Figure

    from datafast_tui.widgets.chart import _ticks, downsample

    started = time.perf_counter()
    fig = Figure()
    fig.plotsize(width, height)
    fig._set_size(width, height)
    fig.theme("clear")
    for series in data.series:
        xs, ys = downsample(series.values, 2 * width)
        fig.plot(xs, ys, marker="braille")
    ticks = _ticks(len(data.x_labels), width - 8)
    fig.xticks(ticks, [data.x_labels[i] for i in ticks])
    fig.build()
    return time.perf_counter() - started


async def main() -> None:
    client = DataFastClient("bench", transport=httpx.MockTransport(handler), rate_limiter=RateLimiter(10_000, 60))
    store = AnalyticsStore(client)
    query = Query(range=DateRange(date(2025, 11, 27), date(2026, 11, 26)))
    started = time.perf_counter()
    result = await store.timeseries(query, fields=("visitors", "sessions", "revenue", "conversion_rate"),
                                    interval="hour")
    fetch = time.perf_counter() - started
    series = result.value
    started = time.perf_counter()
    data = chart_data("revenue", series, series, "hour", ZoneInfo("America/New_York"), "USD")
    convert = time.perf_counter() - started
    builds = {size: statistics.median(build_chart(data, *size) for _ in range(5)) for size in ((116, 20), (76, 12))}
    started = time.perf_counter()
    again = await store.timeseries(query, fields=("visitors", "sessions", "revenue", "conversion_rate"),
                                   interval="hour")
    cached = time.perf_counter() - started
    await store.aclose()
    print(f"a year of hourly points: {len(series.points):,} points, {store.requests_sent} requests "
          f"({LATENCY * 1000:.0f} ms simulated latency each)")
    print(f"  store fetch, all pages (concurrent after the first): {fetch * 1000:7.1f} ms")
    print(f"  chart data (5 revenue lines incl. previous period, labels): {convert * 1000:7.1f} ms")
    figure(f"scale: {len(series.points):,} hourly points, store fetch", fetch * 1000, "ms")
    for (w, h), seconds in builds.items():
        figure(f"scale: chart build {w}x{h} from {len(series.points):,} points", seconds * 1000, "ms",
               target="< 100 ms", ok=seconds < 0.1)
        verdict = "PASS" if seconds < 0.1 else "FAIL"
        print(f"  chart build {w}x{h} (downsampled to {2 * w} points/line): {seconds * 1000:7.1f} ms  "
              f"target < 100 ms {verdict}")
    print(f"  second fetch (cache hit): {cached * 1000:7.3f} ms, same object: {again.value is series}")


if __name__ == "__main__":
    asyncio.run(main())
