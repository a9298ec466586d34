"""Fault injection in-process: each kind gives its documented answer, at the documented moment."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from datafast_tui.demo import DemoDatabase
from datafast_tui.demo.fault_middleware import INVALID_BODIES, PROXY_ERROR_PAGE
from datafast_tui.demo.faults import AFTER_HANDLER, BEFORE_HANDLER, FAULT_KINDS, FaultPlan
from tests.unit.demo.conftest import client_for

ENDPOINT = "analytics/metadata"  # static: its real answer is the same on every call


def goal_count(db: DemoDatabase, name: str) -> int:
    with db.read() as (conn, _):
        return conn.execute("SELECT COUNT(*) FROM goals WHERE name = ?", (name,)).fetchone()[0]


def a_visitor(db: DemoDatabase) -> str:
    with db.read() as (conn, _):
        return conn.execute(
            "SELECT visitor_id FROM visitors WHERE vkey IN (SELECT vkey FROM pageviews) AND is_bot = 0 LIMIT 1"
        ).fetchone()[0]


def test_kinds_are_split_into_before_and_after() -> None:
    assert BEFORE_HANDLER | AFTER_HANDLER == set(FAULT_KINDS) and not BEFORE_HANDLER & AFTER_HANDLER


def test_plan_validates_its_settings() -> None:
    with pytest.raises(ValueError):
        FaultPlan(1.5)
    with pytest.raises(ValueError):
        FaultPlan(0.2, weights={"gremlins": 1.0})
    with pytest.raises(ValueError):
        FaultPlan(0.2, weights={"slow": 0.0})
    plan = FaultPlan(0.2)
    with pytest.raises(ValueError):
        plan.rate = -0.1
    plan.rate = 0
    assert plan.rate == 0.0


async def test_rate_zero_injects_nothing(shared_db: DemoDatabase) -> None:
    plan = FaultPlan(0.0, seed=1)
    async with client_for(shared_db, faults=plan) as client:
        statuses = [(await client.get(ENDPOINT)).status_code for _ in range(30)]
    assert statuses == [200] * 30 and plan.requests == 30 and plan.total_injected == 0


async def test_server_error_is_a_500_envelope(shared_db: DemoDatabase) -> None:
    async with client_for(shared_db, faults=FaultPlan.only("server_error")) as client:
        response = await client.get(ENDPOINT)
    assert response.status_code == 500
    body = response.json()
    assert body["status"] == "error" and body["error"]["code"] == 500 and body["error"]["message"]


async def test_rate_limited_is_a_429_with_reset_time(shared_db: DemoDatabase) -> None:
    async with client_for(shared_db, faults=FaultPlan.only("rate_limited")) as client:
        response = await client.get(ENDPOINT)
    assert response.status_code == 429 and response.json()["error"]["code"] == 429
    assert response.headers["retry-after"] == "2"
    assert time.time() + 0.5 <= int(response.headers["x-ratelimit-reset"]) <= time.time() + 3.5


async def test_truncated_json_is_half_the_real_answer(shared_db: DemoDatabase) -> None:
    async with client_for(shared_db) as client:
        real = (await client.get(ENDPOINT)).content
    async with client_for(shared_db, faults=FaultPlan.only("truncated_json")) as client:
        response = await client.get(ENDPOINT)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.content == real[: len(real) // 2]
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        response.json()


async def test_invalid_json_bodies(shared_db: DemoDatabase) -> None:
    async with client_for(shared_db, faults=FaultPlan.only("invalid_json", seed=3)) as client:
        responses = [await client.get(ENDPOINT) for _ in range(40)]
    assert {r.status_code for r in responses} == {200}
    assert {r.headers["content-type"] for r in responses} == {"application/json"}
    assert {r.content for r in responses} == set(INVALID_BODIES)  # every variant shows up
    for body in INVALID_BODIES:
        with pytest.raises(ValueError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            json.loads(body)


async def test_wrong_content_type_is_an_html_page(shared_db: DemoDatabase) -> None:
    async with client_for(shared_db, faults=FaultPlan.only("wrong_content_type")) as client:
        response = await client.get(ENDPOINT)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.content == PROXY_ERROR_PAGE


async def test_connection_reset_raises_in_process(shared_db: DemoDatabase) -> None:
    plan = FaultPlan.only("connection_reset")
    async with client_for(shared_db, faults=plan) as client:
        with pytest.raises(ConnectionResetError):
            await client.get(ENDPOINT)
    assert plan.injected == {"connection_reset": 1}


async def test_slow_answers_normally_after_the_delay(shared_db: DemoDatabase) -> None:
    async with client_for(shared_db, faults=FaultPlan.only("slow", slow_seconds=0.2)) as client:
        started = time.perf_counter()
        response = await client.get(ENDPOINT)
    assert time.perf_counter() - started >= 0.2
    assert response.status_code == 200 and response.json()["data"][0]["timezone"] == "America/New_York"


async def test_a_slow_write_the_client_gave_up_on_is_not_stored(db: DemoDatabase) -> None:
    plan = FaultPlan.only("slow", slow_seconds=30)
    body = {"datafast_visitor_id": a_visitor(db), "name": "gave_up"}
    async with client_for(db, faults=plan) as client:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(client.post("goals", json=body), timeout=0.2)
        await asyncio.sleep(0.05)
    assert goal_count(db, "gave_up") == 0 and plan.injected == {"slow": 1}


@pytest.mark.parametrize("kind", sorted(BEFORE_HANDLER - {"slow"}))
async def test_before_faults_store_nothing(db: DemoDatabase, kind: str) -> None:
    body = {"datafast_visitor_id": a_visitor(db), "name": "before_fault"}
    async with client_for(db, faults=FaultPlan.only(kind)) as client:
        try:
            response = await client.post("goals", json=body)
        except ConnectionResetError:
            pass
        else:
            assert response.status_code >= 400
    assert goal_count(db, "before_fault") == 0


@pytest.mark.parametrize("kind", sorted(AFTER_HANDLER))
async def test_after_faults_store_the_write_the_client_could_not_read(db: DemoDatabase, kind: str) -> None:
    body = {"datafast_visitor_id": a_visitor(db), "name": "after_fault"}
    async with client_for(db, faults=FaultPlan.only(kind)) as client:
        response = await client.post("goals", json=body)
    with pytest.raises(ValueError):
        json.loads(response.content)
    assert goal_count(db, "after_fault") == 1


def test_same_seed_same_faults_whatever_the_rate() -> None:
    first, second, other = FaultPlan(0.3, seed=9), FaultPlan(0.3, seed=9), FaultPlan(0.3, seed=10)
    draws = [first.draw() for _ in range(300)]
    assert draws == [second.draw() for _ in range(300)]
    assert draws != [other.draw() for _ in range(300)]
    assert 50 <= sum(d is not None for d in draws) <= 130
    # The n-th request's kind does not depend on the rate: a higher rate only adds faults.
    always = FaultPlan(1.0, seed=9)
    for low, high in zip(draws, (always.draw() for _ in range(300))):
        assert low is None or low == high


async def test_counters_and_turning_faults_off_mid_run(shared_db: DemoDatabase) -> None:
    plan = FaultPlan(1.0, seed=4, weights={"server_error": 2, "rate_limited": 1, "wrong_content_type": 1})
    async with client_for(shared_db, faults=plan) as client:
        failing = [await client.get(ENDPOINT) for _ in range(40)]
        assert (await client.get("http://127.0.0.1/robots.txt")).status_code == 404  # not under /api/v1: no fault
        plan.rate = 0
        healthy = [await client.get(ENDPOINT) for _ in range(10)]
    assert plan.requests == 50 and plan.total_injected == 40
    assert plan.injected["server_error"] == sum(r.status_code == 500 for r in failing) > 10
    assert plan.injected["rate_limited"] == sum(r.status_code == 429 for r in failing) > 3
    assert plan.injected["wrong_content_type"] == sum(r.status_code == 200 for r in failing) > 3
    assert all(r.status_code == 200 and r.json()["status"] == "success" for r in healthy)
    plan.reset()
    assert plan.requests == 0 and not plan.injected


async def test_faults_hit_every_endpoint_and_auth_failures_too(shared_db: DemoDatabase) -> None:
    async with client_for(shared_db, headers={}, faults=FaultPlan.only("server_error")) as client:
        response = await client.get("analytics/overview")  # no key: would be 401
    assert response.status_code == 500
