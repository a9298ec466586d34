"""Demo API figures: generation time, and the latency of every endpoint on the full dataset.

Run: python benchmarks/bench_demo.py [--runs N]

Generation is measured cold (empty cache dir: generate, write the cache, catch up live
traffic) and warm (open the cached file copy-on-write). Each endpoint is then called in
process through httpx.ASGITransport, as the app does, on the real clock (live traffic
on); the target is a median under 50 ms for every one of them.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

# Run as a script, this folder is on sys.path: run_all.py reads what figure() reports.
from figures import figure  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datafast_tui.demo import build_demo_app, open_demo_database  # noqa: E402
from datafast_tui.demo.breakdowns import ENDPOINTS as BREAKDOWNS  # noqa: E402
from datafast_tui.demo.generate import describe, generate_history  # noqa: E402

TARGET_MS = 50.0
GENERATION_TARGET_S = 3.0  # issue 17: cold demo generation at most 3 s on a quiet machine


def requests(visitor_id: str) -> list[tuple[str, str, str, dict]]:
    """(label, method, path, params or JSON body) for every endpoint; defaults = all time, the heaviest."""
    calls = [
        ("overview", "GET", "analytics/overview", {}),
        ("timeseries (all time, day)", "GET", "analytics/timeseries", {"limit": 1000}),
        ("timeseries (all time, hour)", "GET", "analytics/timeseries", {"interval": "hour", "limit": 1000}),
        ("metadata", "GET", "analytics/metadata", {}),
        ("realtime", "GET", "analytics/realtime", {}),
        ("realtime/map", "GET", "analytics/realtime/map", {}),
        *((name, "GET", f"analytics/{name}", {"limit": 1000}) for name in BREAKDOWNS),
        ("visitors/{id}", "GET", f"visitors/{visitor_id}", {}),
        ("POST goals", "POST", "goals", {"datafast_visitor_id": visitor_id, "name": "bench_goal"}),
        ("POST payments", "POST", "payments", {"amount": 9.0, "currency": "USD", "transaction_id": "bench-{n}"}),
        ("DELETE payments", "DELETE", "payments", {"transaction_id": "bench-{n}"}),
        ("DELETE goals", "DELETE", "goals", {"name": "bench_goal"}),
    ]
    filtered = {
        "filter_device": "is:mobile",
        "filter_country": "is:US,GB",
        "startAt": "2020-01-01",
        "endAt": "2030-01-01",
    }
    calls += [
        ("overview (2 filters)", "GET", "analytics/overview", filtered),
        ("timeseries (2 filters)", "GET", "analytics/timeseries", filtered),
        ("pages (page filter)", "GET", "analytics/pages", {"filter_page": "contains:/blog"}),
        ("cities (2 filters)", "GET", "analytics/cities", filtered),
    ]
    return calls


async def measure(client: httpx.AsyncClient, method: str, path: str, payload: dict, runs: int) -> list[float]:
    times = []
    for n in range(runs + 2):
        filled = {k: v.format(n=n) if isinstance(v, str) else v for k, v in payload.items()}
        start = time.perf_counter()
        if method == "POST":
            response = await client.post(path, json=filled)
        else:
            response = await client.request(method, path, params=filled)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code not in (200, 404):  # DELETE goals after the first run finds nothing: 404
            raise SystemExit(f"{method} {path} -> {response.status_code}: {response.text[:200]}")
        if n >= 2:  # the first two warm up the threadpool and SQLite's page cache
            times.append(elapsed)
    return times


async def endpoints(runs: int, cache_dir: Path) -> bool:
    db = open_demo_database(cache_dir=cache_dir)
    with db.read() as (conn, _):
        visitor_id = conn.execute(
            "SELECT v.visitor_id FROM visitors v JOIN sessions s USING (vkey) WHERE s.visit_number > 2 LIMIT 1"
        ).fetchone()[0]
    app = build_demo_app(database=db)
    transport = httpx.ASGITransport(app=app)
    ok = True
    async with httpx.AsyncClient(
        transport=transport, base_url="http://127.0.0.1/api/v1/", headers={"Authorization": "Bearer demo"}
    ) as client:
        print(f"\n{'endpoint':32} {'median ms':>10} {'p95 ms':>8}  target {TARGET_MS:.0f} ms")
        for label, method, path, payload in requests(visitor_id):
            times = sorted(await measure(client, method, path, payload, runs))
            median = statistics.median(times)
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            verdict = "PASS" if median < TARGET_MS else "FAIL"
            ok = ok and median < TARGET_MS
            print(f"{label:32} {median:10.1f} {p95:8.1f}  {verdict}")
            figure(f"demo {label} median", median, "ms", target=f"< {TARGET_MS:.0f} ms", ok=median < TARGET_MS)
    return ok


def generation_alone() -> float:
    """Seconds generate_history takes to fill an in-memory database (the cold start's main part)."""
    conn = sqlite3.connect(":memory:")
    reference = 1_796_000_000_000 - 1_796_000_000_000 % 3_600_000  # a fixed hour: the same rows every run
    start = time.perf_counter()
    generate_history(conn, 7, reference)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed calls per endpoint (default 30)")
    args = parser.parse_args()
    history = generation_alone()
    print(f"generation alone (generate_history into memory, seed 7): {history:6.2f} s")
    figure("demo generation alone (history into memory)", history, "s", target=f"<= {GENERATION_TARGET_S:.0f} s",
           ok=history <= GENERATION_TARGET_S)
    with tempfile.TemporaryDirectory() as tmp:
        cache_dir = Path(tmp)
        start = time.perf_counter()
        db = open_demo_database(cache_dir=cache_dir)
        cold = time.perf_counter() - start
        with db.read() as (conn, _):
            facts = describe(conn)
        db.close()
        start = time.perf_counter()
        open_demo_database(cache_dir=cache_dir).close()
        warm = time.perf_counter() - start
        size = sum(p.stat().st_size for p in cache_dir.iterdir()) / 1e6
        print(f"generation, cold (generate + write cache + live catch-up): {cold:6.2f} s")
        figure("demo generation, cold", cold, "s", target=f"<= {GENERATION_TARGET_S:.0f} s",
               ok=cold <= GENERATION_TARGET_S)
        figure("demo open, warm cache", warm, "s")
        print(f"open, warm (the cached store opened copy-on-write + live catch-up): {warm:6.2f} s")
        print(
            f"store: {facts['visitors']} visitors, {facts['sessions']} sessions, {facts['pageviews']} pageviews,"
            f" {facts['goals']} goals, {facts['payments']} payments; cache file {size:.1f} MB"
        )
        ok = asyncio.run(endpoints(args.runs, cache_dir))
    print("\nall endpoints under target" if ok else "\nsome endpoints over target")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
