"""serve-demo under load: requests/s and latency with 50 concurrent loopback clients (issue 17).

Run: python benchmarks/bench_serve.py [--seconds 10] [--clients 50] [--runs 1] [--client raw|httpx]

Starts `datafast-tui serve-demo` (uvicorn, the real thing) in its own process on a free
loopback port, once with `--no-answer-cache` and once as shipped, warms each with one call
of every question, then has the clients (each with its own keep-alive connection) repeat a
dashboard's mix of GETs for the given time: overview, timeseries and breakdowns with and
without filters and ranges, realtime. Targets: >= 200 requests/s and a p99 under 500 ms
with the cache. The load generator runs in this process, on the same machine as the
server: both compete for its cores, which the output says, with the CPU each one used.

The default client writes HTTP/1.1 by hand on asyncio streams: httpx.AsyncClient (`--client
httpx`, a pool of as many connections) costs about three times the server's CPU per
request, so on a shared 2-core machine it would mostly measure itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx

# Run as a script, this folder is on sys.path: run_all.py reads what figure() reports.
from figures import figure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datafast_tui.demo import open_demo_database  # noqa: E402

TARGET_RPS, TARGET_P99_MS = 200.0, 500.0
HEADERS = {"Authorization": "Bearer demo"}


def questions(today: date) -> list[tuple[str, dict[str, str]]]:
    """What a few dashboards ask, over and over: the realtime header is polled most."""
    week = {"startAt": (today - timedelta(days=6)).isoformat(), "endAt": today.isoformat()}
    mobile = {"filter_device": "is:mobile"}
    return [
        ("analytics/overview", {}),
        ("analytics/overview", week),
        ("analytics/overview", {**week, **mobile}),
        ("analytics/timeseries", {}),
        ("analytics/timeseries", {"interval": "hour"}),
        ("analytics/timeseries", {**week, "filter_country": "is:US"}),
        ("analytics/pages", {}),
        ("analytics/pages", {**week, **mobile}),
        ("analytics/referrers", {}),
        ("analytics/countries", week),
        ("analytics/devices", {}),
        ("analytics/browsers", mobile),
        ("analytics/goals", {}),
        ("analytics/metadata", {}),
        ("analytics/realtime", {}),
        ("analytics/realtime/map", {}),
        ("analytics/realtime", {}),
    ]


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    failed: int
    server_cpu: float  # share of one core the server used while measured (None-like -1 off Linux)
    client_cpu: float  # the same for this process, the load generator


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc (Linux); -1 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(cache_home: Path, flags: list[str]) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "datafast_tui.demo.serve", "--port", "0", *flags],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if "export DATAFAST_BASE_URL=" in line:
            return process, line.strip().split("=", 1)[1]
        if not line and process.poll() is not None:
            break
    process.kill()
    raise SystemExit("serve-demo did not start")


class RawConnection:
    """One keep-alive HTTP/1.1 connection, GETs only: the least client CPU per request."""

    def __init__(self, base_url: str) -> None:
        url = httpx.URL(base_url)
        self.host, self.port, self.prefix = url.host, url.port, url.path
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str, params: dict[str, str]) -> int:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        target = self.prefix + path + ("?" + urlencode(params) if params else "")
        writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: {HEADERS['Authorization']}"
                     "\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(int(line.split(b":", 1)[1]) for line in head.lower().split(b"\r\n")
                      if line.startswith(b"content-length:"))
        await reader.readexactly(length)
        return int(head.split(b" ", 2)[1])

    async def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()


async def drive(base_url: str, clients: int, seconds: float, server_pid: int, kind: str) -> Result:
    asks = questions(date.today())
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, headers=HEADERS, limits=limits, timeout=60) as client:
        for path, params in asks:  # warm: SQLite's pages, the threadpool, and (when on) the cache
            (await client.get(path, params=params)).raise_for_status()
        latencies: list[float] = []
        failed = 0
        deadline = time.perf_counter() + seconds

        async def one_client(n: int) -> None:
            nonlocal failed
            raw = RawConnection(base_url) if kind == "raw" else None
            i = n
            while time.perf_counter() < deadline:
                path, params = asks[i % len(asks)]
                i += 1
                sent = time.perf_counter()
                try:
                    if raw is not None:
                        ok = await raw.get(path, params) == 200
                    else:
                        ok = (await client.get(path, params=params)).status_code == 200
                except (httpx.HTTPError, OSError, asyncio.IncompleteReadError):
                    ok = False
                latencies.append(time.perf_counter() - sent)
                failed += not ok
            if raw is not None:
                await raw.close()

        server_before, client_before = _cpu_seconds(server_pid), time.process_time()
        started = time.perf_counter()
        await asyncio.gather(*(one_client(n) for n in range(clients)))
        elapsed = time.perf_counter() - started
        server_cpu = (_cpu_seconds(server_pid) - server_before) / elapsed if server_before >= 0 else -1.0
        client_cpu = (time.process_time() - client_before) / elapsed
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
    return Result(len(latencies) / elapsed, statistics.median(latencies) * 1000, p99 * 1000, len(latencies), failed,
                  server_cpu, client_cpu)


#: The floor: the same web stack (uvicorn + Starlette) answering every GET with one constant
#: JSON body of an answer's size, no auth, no SQL, no cache: what the stack itself can serve.
FLOOR_SERVER = """
import socket, sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
BODY = b'{"status":"success","data":[' + b','.join([b'{"page":"/pricing","visitors":1234,"revenue":12.5}'] * 20) + b']}'
async def answer(request):
    return Response(BODY, media_type="application/json")
app = Starlette(routes=[Route("/{path:path}", answer)])
sock = socket.socket(); sock.bind(("127.0.0.1", 0)); sock.listen(2048)
print("export DATAFAST_BASE_URL=http://127.0.0.1:%d/api/v1/" % sock.getsockname()[1], flush=True)
uvicorn.run(app, fd=sock.fileno(), log_level="warning", access_log=False)
"""


def start_floor_server() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-c", FLOOR_SERVER], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    if "export DATAFAST_BASE_URL=" not in line:
        process.kill()
        raise SystemExit("the floor server did not start")
    return process, line.strip().split("=", 1)[1]


def measure(cache_home: Path, flags: list[str], clients: int, seconds: float, kind: str) -> Result:
    process, base_url = start_floor_server() if flags == ["--floor"] else start_server(cache_home, flags)
    try:
        return asyncio.run(drive(base_url, clients, seconds, process.pid, kind))
    finally:
        process.terminate()
        process.wait(timeout=10)


def show(label: str, r: Result) -> None:
    cpu = f"; CPU: server {r.server_cpu:.0%}, load generator {r.client_cpu:.0%} of a core" if r.server_cpu >= 0 else ""
    print(f"{label:18} {r.rps:8.1f} req/s   p50 {r.p50_ms:7.1f} ms   p99 {r.p99_ms:7.1f} ms"
          f"   ({r.requests} requests, {r.failed} failed{cpu})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per run (default 10)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each mode; the median run is reported")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw", help="load generator (default raw)")
    args = parser.parse_args()
    print(f"{args.clients} concurrent {args.client} clients over loopback, {args.seconds:g} s per run; the load generator "
          f"(this process) shares the machine's {os.cpu_count()} cores with the server, so both figures are "
          "lower than a server alone would reach")
    with tempfile.TemporaryDirectory() as tmp:
        cache_home = Path(tmp)
        open_demo_database(cache_dir=cache_home / "datafast-tui").close()  # today's data, so servers start fast
        results: dict[str, list[Result]] = {"cache off": [], "cache on": [], "floor": []}
        for _ in range(args.runs):
            for label, flags in (("cache off", ["--no-answer-cache"]), ("cache on", []), ("floor", ["--floor"])):
                results[label].append(measure(cache_home, flags, args.clients, args.seconds, args.client))
                show(label, results[label][-1])
    off, on, floor = (sorted(results[k], key=lambda r: r.rps)[len(results[k]) // 2]
                      for k in ("cache off", "cache on", "floor"))
    print(f"\nmedian runs: cache on / off = {on.rps / off.rps:.1f}x the requests/s, "
          f"p99 {off.p99_ms:.0f} ms -> {on.p99_ms:.0f} ms")
    print(f"floor (uvicorn + Starlette, one constant answer): {floor.rps:.0f} req/s, p99 {floor.p99_ms:.0f} ms; "
          f"serve-demo reaches {on.rps / floor.rps:.0%} of it")
    figure(f"serve-demo: requests/s, {args.clients} clients", on.rps, "req/s", target=">= 200", ok=on.rps >= TARGET_RPS,
           floor=floor.rps)
    figure(f"serve-demo: p99 latency, {args.clients} clients", on.p99_ms, "ms", target="< 500 ms",
           ok=on.p99_ms < TARGET_P99_MS, floor=floor.p99_ms)
    figure(f"serve-demo, answer cache off: requests/s, {args.clients} clients", off.rps, "req/s")
    figure(f"serve-demo, answer cache off: p99 latency, {args.clients} clients", off.p99_ms, "ms")
    ok = on.rps >= TARGET_RPS and on.p99_ms < TARGET_P99_MS and on.failed == 0
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
