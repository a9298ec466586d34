"""Fault injection over real HTTP: `serve-demo --faults` as a networked httpx client sees it.

The server's draws are deterministic, so a FaultPlan with the same settings on this side
predicts the fault of every request (one request per connection keeps them in order).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import httpx

from datafast_tui.demo.faults import FaultPlan
from tests.unit.demo.serving import serve_demo

KINDS = ("truncated_json", "rate_limited", "connection_reset", "slow")
# Seed 233 meets every outcome within a few requests, few of them slow, which keeps
# this test short while leaving the client a generous timeout (no flakes on a busy machine).
SEED, RATE, SLOW_SECONDS, CLIENT_TIMEOUT = 233, 0.6, 1.5, 1.0
FLAGS = ["--faults", str(RATE), "--fault-seed", str(SEED), "--fault-kinds", ",".join(KINDS)]


def outcome(client: httpx.Client, method: str, path: str, **kwargs: object) -> tuple[str, httpx.Response | None]:
    """What happened to one request: "ok" or the kind of fault it shows."""
    try:
        response = client.request(method, path, **kwargs)
    except httpx.TimeoutException:
        return "slow", None
    except httpx.TransportError:  # RemoteProtocolError: the body stopped short of its length
        return "connection_reset", None
    if response.status_code == 429:
        assert response.headers["retry-after"] == "2" and response.json()["error"]["code"] == 429
        assert 0 <= int(response.headers["x-ratelimit-reset"]) - time.time() <= 3.5
        return "rate_limited", response
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    try:
        response.json()
    except ValueError:
        return "truncated_json", response
    return "ok", response


def a_visitor(cache_home: Path) -> str:
    path = next((cache_home / "datafast-tui").glob("demo-*.sqlite"))
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT visitor_id FROM visitors WHERE is_bot = 0 AND vkey IN (SELECT vkey FROM pageviews) LIMIT 1"
        ).fetchone()[0]


def test_faults_over_http(serve_cache_home: Path) -> None:
    twin = FaultPlan.only(*KINDS, rate=RATE, seed=SEED)
    visitor = a_visitor(serve_cache_home)
    headers = {"Authorization": "Bearer demo", "Connection": "close"}
    with (
        serve_demo([*FLAGS, "--fault-slow", str(SLOW_SECONDS)], serve_cache_home) as served,
        httpx.Client(base_url=served.base_url, headers=headers, timeout=CLIENT_TIMEOUT) as client,
    ):
        assert any("fault injection: 60% of API requests fail" in line for line in served.lines)

        def request(method: str, path: str, **kwargs: object) -> tuple[str, httpx.Response | None]:
            fault = twin.draw()
            seen, response = outcome(client, method, path, **kwargs)
            assert seen == (fault.kind if fault else "ok"), (method, path)
            return seen, response

        def goal_names() -> set[str]:
            while twin.draw() is not None:  # skip to a request predicted to succeed
                outcome(client, "GET", "analytics/metadata")
            seen, response = outcome(client, "GET", f"visitors/{visitor}")
            assert seen == "ok"
            return {g["name"] for g in response.json()["data"]["activity"]["completedGoals"]}

        real = None
        kinds_seen: set[str] = set()
        while kinds_seen != {"ok", *KINDS} and twin.requests < 40:
            seen, response = request("GET", "analytics/metadata")
            kinds_seen.add(seen)
            if seen == "ok":
                real = response.content
            elif seen == "truncated_json":
                assert real is not None and response.content == real[: len(real) // 2]
        assert kinds_seen == {"ok", *KINDS}

        # Writes: stored when the fault came after the handler (or none came), not before.
        writes: dict[str, str] = {}
        while set(writes.values()) != {"ok", *KINDS} and len(writes) < 60:
            name = f"write_{len(writes)}"
            writes[name] = request("POST", "goals", json={"datafast_visitor_id": visitor, "name": name})[0]
        assert set(writes.values()) == {"ok", *KINDS}
        time.sleep(SLOW_SECONDS + 0.3)  # a dropped slow write would have run by now
        stored = {name for name in goal_names() if name.startswith("write_")}
        assert stored == {name for name, seen in writes.items() if seen in ("ok", "truncated_json")}
    assert "Traceback" not in served.stderr, served.stderr
