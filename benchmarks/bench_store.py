"""Concurrent loads through the AnalyticsStore against a transport with simulated latency.

20 callers each ask for overview + timeseries + a breakdown at the same moment, through the
store, against an httpx.MockTransport that answers after 50 ms. Prints wall time, requests
sent and the ratio to one request's latency (target: under 1.5x; identical callers: 1 request
per endpoint). Run: python benchmarks/bench_store.py
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import date
from pathlib import Path

import httpx

# Run as a script, this folder is on sys.path: run_all.py reads what figure() reports.
from figures import figure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datafast_tui.api.client import DataFastClient  # noqa: E402
from datafast_tui.api.dates import DateRange  # noqa: E402
from datafast_tui.api.filters import Filter  # noqa: E402
from datafast_tui.api.query import Query  # noqa: E402
from datafast_tui.api.ratelimit import RateLimiter  # noqa: E402
from datafast_tui.data.store import AnalyticsStore  # noqa: E402

LATENCY = 0.050
CALLERS = 20
DOCS = ROOT / "tests" / "fixtures" / "docs"
BODIES = {name: json.loads((DOCS / f"{name}.json").read_text()) for name in ("overview", "timeseries", "pages")}


async def handler(request: httpx.Request) -> httpx.Response:
    await asyncio.sleep(LATENCY)
    name = request.url.path.rsplit("/", 1)[-1]
    body = dict(BODIES[name])
    if name == "timeseries":  # a single page, so the store sends one request per series
        body["pagination"] = {"limit": 1000, "offset": 0, "total": len(body["data"])}
    return httpx.Response(200, json=body)


def new_store() -> AnalyticsStore:
    client = DataFastClient("bench-key", transport=httpx.MockTransport(handler),
                            rate_limiter=RateLimiter(10_000, 60))
    return AnalyticsStore(client)


async def one_caller(store: AnalyticsStore, query: Query) -> None:
    await asyncio.gather(
        store.overview(query),
        store.timeseries(query, fields=("visitors", "sessions", "revenue"), interval="day"),
        store.breakdown("pages", query, limit=100),
    )


async def run(queries: list[Query]) -> tuple[float, int]:
    store = new_store()
    started = time.perf_counter()
    await asyncio.gather(*(one_caller(store, q) for q in queries))
    wall = time.perf_counter() - started
    sent = store.requests_sent
    await store.aclose()
    return wall, sent


async def main() -> None:
    base = Query(range=DateRange(date(2026, 11, 1), date(2026, 11, 25)))
    single, _ = await run([base])  # one caller: the reference latency of a concurrent trio
    same_wall, same_sent = await run([base] * CALLERS)
    distinct = [base.with_filter(Filter("visit_count", "gte", (str(i + 1),))) for i in range(CALLERS)]
    diff_wall, diff_sent = await run(distinct)
    print(f"simulated latency per request: {LATENCY * 1000:.0f} ms; {CALLERS} callers x 3 endpoints")
    print(f"{'case':<32}{'wall ms':>9}{'requests':>10}{'x latency':>11}  target")
    rows = [
        ("1 caller (reference)", single, 3),
        (f"{CALLERS} identical callers", same_wall, same_sent),
        (f"{CALLERS} distinct queries", diff_wall, diff_sent),
    ]
    for label, wall, sent in rows:
        ratio = wall / LATENCY
        verdict = "PASS" if ratio < 1.5 else "FAIL"
        print(f"{label:<32}{wall * 1000:>9.1f}{sent:>10}{ratio:>10.2f}x  <1.5x {verdict}")
        figure(f"store: {label}, wall / one latency", ratio, "x", target="< 1.5x", ok=ratio < 1.5)
    figure(f"store: {CALLERS} identical callers, requests per endpoint", same_sent / 3, "req", target="1",
           ok=same_sent == 3)
    print(f"identical callers -> {same_sent} requests for 3 endpoints "
          f"({'PASS' if same_sent == 3 else 'FAIL'}: one request per endpoint)")


if __name__ == "__main__":
    asyncio.run(main())
