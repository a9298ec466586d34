"""Writes persist and show up in reads; deletes take them away again."""

from __future__ import annotations

import re

import httpx

from datafast_tui.demo import DemoDatabase
from tests.unit.demo import shapes
from tests.unit.demo.conftest import FrozenClock, get_json
from tests.unit.demo.test_contract import some_visitor

TODAY = {"startAt": "2026-02-19", "endAt": "2026-02-19"}


async def revenue_today(api: httpx.AsyncClient) -> dict:
    series = await get_json(api, "analytics/timeseries", fields="revenue", **TODAY)
    return series["totals"]


async def test_goal_is_stored_and_read_back(api_rw: httpx.AsyncClient, db: DemoDatabase) -> None:
    visitor_id = some_visitor(db)
    response = await api_rw.post(
        "goals",
        json={
            "datafast_visitor_id": visitor_id,
            "name": "demo_test_goal",
            "metadata": {"plan": "<b>pro</b>", "note": "hi<script>alert(1)</script> there"},
        },
    )
    assert response.status_code == 200, response.text
    shapes.assert_shape(response.json(), shapes.GOAL_CREATED)
    event_id = response.json()["data"][0]["eventId"]
    assert re.fullmatch(r"[0-9a-f]{24}", event_id)

    goals = (await get_json(api_rw, "analytics/goals", limit=1000))["data"]
    assert {"goal": "demo_test_goal", "completions": 1, "visitors": 1} in goals
    visitor = (await get_json(api_rw, f"visitors/{visitor_id}"))["data"]["activity"]
    mine = [g for g in visitor["completedCustomGoals"] if g["name"] == "demo_test_goal"]
    assert len(mine) == 1 and mine[0]["isServer"] is True
    events = (await get_json(api_rw, "analytics/realtime/map"))["data"]["recentEvents"]
    goal_event = next(e for e in events if e["_id"] == event_id)
    assert goal_event["type"] == "custom"
    assert goal_event["extraData"] == {"eventName": "demo_test_goal", "plan": "pro", "note": "hi there"}
    # The goal filter now selects that visitor's session.
    assert (await get_json(api_rw, "analytics/overview", filter_goal="demo_test_goal"))["data"][0]["visitors"] == 1


async def test_payment_counts_in_revenue_once_and_deletes(api_rw: httpx.AsyncClient, db: DemoDatabase) -> None:
    visitor_id = some_visitor(db, "s.start_ms > 0 AND v.customer_name IS NULL")
    before = await revenue_today(api_rw)
    overview_before = (await get_json(api_rw, "analytics/overview"))["data"][0]
    payment = {
        "amount": 29.99,
        "currency": "usd",
        "transaction_id": "payment_456",
        "datafast_visitor_id": visitor_id,
        "name": "Jane Doe",
        "email": "jane@example.com",
    }
    response = await api_rw.post("payments", json=payment)
    assert response.status_code == 200
    assert response.json() == {
        "message": "Payment recorded and attributed successfully",
        "transaction_id": "payment_456",
    }
    again = await api_rw.post("payments", json=payment)
    assert again.status_code == 200 and "already recorded" in again.json()["message"]

    after = await revenue_today(api_rw)
    assert round(after["revenue"] - before["revenue"], 2) == 29.99
    assert round(after["revenueBreakdown"]["new"] - before["revenueBreakdown"]["new"], 2) == 29.99
    overview_after = (await get_json(api_rw, "analytics/overview"))["data"][0]
    assert overview_after["payments"] == overview_before["payments"] + 1
    profile = (await get_json(api_rw, f"visitors/{visitor_id}"))["data"]
    assert profile["prediction"] is None  # customers get no prediction
    recent = (await get_json(api_rw, "analytics/realtime/map"))["data"]["recentPayments"]
    shapes.assert_shape(
        {"status": "success", "data": {**shapes_map_stub(), "recentPayments": recent}}, shapes.REALTIME_MAP
    )
    assert recent[0]["name"] == "Jane Doe" and recent[0]["amount"] == 29.99 and recent[0]["currency"] == "USD"

    deleted = await api_rw.delete("payments", params={"transaction_id": "payment_456"})
    assert deleted.status_code == 200 and deleted.json()["data"][0]["transaction_id"] == "payment_456"
    assert await revenue_today(api_rw) == before
    gone = await api_rw.delete("payments", params={"tx_id": "payment_456"})
    assert gone.status_code == 404


def shapes_map_stub() -> dict:
    return {
        "count": 0,
        "visitors": [],
        "conversionMetrics": {"baselineConversionRate": 0.1, "baselineAverageValue": 1.0},
        "hasConversionPredictions": True,
        "recentEvents": [],
    }


async def test_renewals_and_refunds_are_split(api_rw: httpx.AsyncClient) -> None:
    before = (await revenue_today(api_rw))["revenueBreakdown"]
    for txid, flags in (("tx_renew", {"renewal": True}), ("tx_refund", {"refunded": True})):
        response = await api_rw.post(
            "payments", json={"amount": 10, "currency": "USD", "transaction_id": txid, **flags}
        )
        assert response.json()["message"] == "Payment recorded successfully"
    after = await revenue_today(api_rw)
    assert after["revenueBreakdown"]["renewal"] == round(before["renewal"] + 10, 2)
    assert after["revenueBreakdown"]["refund"] == round(before["refund"] + 10, 2)
    assert after["revenue"] == round(before["new"] + before["renewal"] + 10, 2)


async def test_backdated_payment_lands_on_its_day(api_rw: httpx.AsyncClient) -> None:
    day = {"startAt": "2026-01-07", "endAt": "2026-01-07"}
    before = (await get_json(api_rw, "analytics/overview", **day))["data"][0]["revenue"]
    await api_rw.post(
        "payments",
        json={"amount": 100, "currency": "USD", "transaction_id": "tx_old", "timestamp": "2026-01-07T15:00:00Z"},
    )
    assert (await get_json(api_rw, "analytics/overview", **day))["data"][0]["revenue"] == before + 100


async def test_delete_payments_for_visitor_in_range(api_rw: httpx.AsyncClient, db: DemoDatabase) -> None:
    visitor_id = some_visitor(db)
    for n in range(2):
        await api_rw.post(
            "payments",
            json={
                "amount": 5,
                "currency": "USD",
                "transaction_id": f"tx_{n}",
                "datafast_visitor_id": visitor_id,
                "timestamp": f"2026-02-1{n}T10:00:00Z",
            },
        )
    response = await api_rw.delete(
        "payments",
        params={"datafast_visitor_id": visitor_id, "startAt": "2026-02-10T00:00:00Z", "endAt": "2026-02-10T23:59:59Z"},
    )
    assert response.status_code == 200
    shapes.assert_shape(response.json(), shapes.PAYMENTS_DELETED, shapes.DELETE_EXTRAS)
    data = response.json()["data"][0]
    assert data["message"] == "All payments for visitor deleted successfully within time range"
    assert data["timeRange"] == {"start": "2026-02-10T00:00:00.000Z", "end": "2026-02-10T23:59:59.000Z"}
    assert data["deletedCount"] == 1
    with db.read() as (conn, _):
        assert conn.execute(
            "SELECT transaction_id FROM payments WHERE transaction_id LIKE 'tx\\_%' ESCAPE '\\'"
        ).fetchall() == [("tx_1",)]


async def test_delete_goals_by_name_and_range(api_rw: httpx.AsyncClient, db: DemoDatabase, clock: FrozenClock) -> None:
    visitor_id = some_visitor(db)
    await api_rw.post("goals", json={"datafast_visitor_id": visitor_id, "name": "demo_test_goal"})
    response = await api_rw.delete(
        "goals", params={"name": "Demo Test Goal", "startAt": "2026-02-19T00:00:00Z", "endAt": "2026-02-19T23:59:59Z"}
    )
    assert response.status_code == 200
    shapes.assert_shape(response.json(), shapes.GOALS_DELETED, shapes.DELETE_EXTRAS)
    assert response.json()["data"][0]["goal_name"] == "demo_test_goal"
    goals = (await get_json(api_rw, "analytics/goals", limit=1000))["data"]
    assert all(row["goal"] != "demo_test_goal" for row in goals)


async def test_delete_goals_of_a_visitor(api_rw: httpx.AsyncClient, db: DemoDatabase) -> None:
    visitor_id = some_visitor(db, "s.skey IN (SELECT skey FROM goals)")
    response = await api_rw.delete("goals", params={"datafast_visitor_id": visitor_id})
    assert response.status_code == 200 and response.json()["data"][0]["deletedCount"] >= 1
    profile = (await get_json(api_rw, f"visitors/{visitor_id}"))["data"]
    assert profile["activity"]["completedCustomGoals"] == []
