"""Every endpoint answers with the shape of the docs' example (keys and types)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from datafast_tui.demo import DemoDatabase
from tests.unit.demo import shapes
from tests.unit.demo.conftest import client_for, get_json

DOCS = Path(__file__).resolve().parents[2] / "fixtures" / "datafast-api-docs.md"


def some_visitor(db: DemoDatabase, condition: str = "s.visit_number >= 3") -> str:
    """The id of a human visitor matching `condition` on one of their sessions."""
    with db.read() as (conn, _):
        return conn.execute(
            "SELECT v.visitor_id FROM visitors v JOIN sessions s ON s.vkey = v.vkey"
            f" WHERE v.is_bot = 0 AND {condition} ORDER BY v.vkey LIMIT 1"
        ).fetchone()[0]


async def test_overview_shape(api: httpx.AsyncClient) -> None:
    body = await get_json(api, "analytics/overview")
    shapes.assert_shape(body, shapes.OVERVIEW, shapes.OVERVIEW_EXTRAS)
    row = body["data"][0]
    assert row["currency"] == "$" and row["visitors"] > 40_000 and row["pageviews"] > row["sessions"]


async def test_timeseries_shape(api: httpx.AsyncClient) -> None:
    body = await get_json(api, "analytics/timeseries", fields="visitors,name,sessions,revenue,conversion_rate", limit=5,
                          startAt="2025-11-21", endAt="2026-02-19")  # no range: a 30-day default window
    shapes.assert_shape(body, shapes.TIMESERIES)
    # Today's pages: "Requesting revenue automatically includes payments".
    assert body["fields"] == ["visitors", "name", "sessions", "revenue", "payments", "conversion_rate"]
    assert body["interval"] == "day" and body["timezone"] == "America/New_York" and body["currency"] == "$"
    assert len(body["data"]) == 5 and body["pagination"] == {
        "limit": 5,
        "offset": 0,
        "total": body["pagination"]["total"],
    }
    assert 90 <= body["pagination"]["total"] <= 92


async def test_timeseries_single_field_has_no_currency(api: httpx.AsyncClient) -> None:
    body = await get_json(api, "analytics/timeseries", fields="visitors")
    assert body["currency"] is None and body["totals"].keys() == {"visitors"}
    assert body["data"][0].keys() == {"visitors", "name", "timestamp"}


async def test_metadata_shape(api: httpx.AsyncClient) -> None:
    body = await get_json(api, "analytics/metadata")
    shapes.assert_shape(body, shapes.METADATA, shapes.METADATA_EXTRAS)
    assert body["data"][0]["currency"] == "USD" and body["data"][0]["timezone"] == "America/New_York"


async def test_realtime_shapes(api: httpx.AsyncClient) -> None:
    shapes.assert_shape(await get_json(api, "analytics/realtime"), shapes.REALTIME)
    body = await get_json(api, "analytics/realtime/map")
    shapes.assert_shape(body, shapes.REALTIME_MAP)
    data = body["data"]
    assert data["count"] == len(data["visitors"]) > 0 and data["recentEvents"]
    times = [e["timestamp"] for e in data["recentEvents"]]
    assert times == sorted(times, reverse=True)
    assert all(re.fullmatch(r"[0-9a-f]{24}", e["_id"]) for e in data["recentEvents"])
    # Both documented shapes of `system` are served, so clients meet both.
    nested = {isinstance(v["system"]["browser"], dict) for v in data["visitors"]}
    assert nested == {True, False}, "the demo should serve objects for some visitors and strings for others"


@pytest.mark.parametrize("name", sorted(shapes.BREAKDOWNS))
async def test_breakdown_shapes(api: httpx.AsyncClient, name: str) -> None:
    body = await get_json(api, f"analytics/{name}")
    shapes.assert_shape(body, shapes.BREAKDOWNS[name])
    assert body["data"] and body["pagination"]["limit"] == 100 and body["pagination"]["offset"] == 0
    visitors = [row["visitors"] for row in body["data"]]
    assert visitors == sorted(visitors, reverse=True)


async def test_country_rows_have_flag_and_names(api: httpx.AsyncClient) -> None:
    top = (await get_json(api, "analytics/countries"))["data"][0]
    assert top["country"] == "United States of America"
    assert top["image"] == "https://purecatamphetamine.github.io/country-flag-icons/3x2/US.svg"
    regions = {row["region"] for row in (await get_json(api, "analytics/regions", limit=1000))["data"]}
    assert "California" in regions and "England" in regions


async def test_dataset_is_rich(api: httpx.AsyncClient) -> None:
    totals = {name: (await get_json(api, f"analytics/{name}"))["pagination"]["total"] for name in shapes.BREAKDOWNS}
    assert totals["cities"] >= 300 and totals["regions"] >= 150 and totals["countries"] >= 30
    assert totals["pages"] >= 30 and totals["referrers"] >= 40 and totals["hostnames"] >= 3
    assert totals["goals"] >= 10 and totals["campaigns"] >= 10 and totals["devices"] == 3


async def test_visitor_shape(api: httpx.AsyncClient, shared_db: DemoDatabase) -> None:
    visitor_id = some_visitor(shared_db)
    body = await get_json(api, f"visitors/{visitor_id}")
    shapes.assert_shape(body, shapes.VISITOR, shapes.VISITOR_EXTRAS)
    data = body["data"]
    assert data["visitorId"] == visitor_id and data["activity"]["visitCount"] >= 3
    assert re.fullmatch(r"[A-Z]{2}", data["identity"]["country"])
    assert data["identity"]["region"].startswith(data["identity"]["country"] + "-")
    goals = data["activity"]["completedGoals"]
    assert {g["origin"] for g in goals} <= shapes.GOAL_ORIGINS
    custom = [g for g in goals if g["origin"] == "manual"]
    assert [g["name"] for g in custom] == [g["name"] for g in data["activity"]["completedCustomGoals"]]


async def test_a_customer_has_lifecycle_goals_payments_and_a_profile(api: httpx.AsyncClient,
                                                                    shared_db: DemoDatabase) -> None:
    with shared_db.read() as (conn, _now):
        vkey, visitor_id = conn.execute(
            "SELECT v.vkey, v.visitor_id FROM visitors v JOIN payments p ON p.vkey = v.vkey"
            " WHERE p.kind = 'renewal' AND v.is_bot = 0 LIMIT 1").fetchone()
        payments = conn.execute("SELECT COUNT(*) FROM payments WHERE vkey = ?", (vkey,)).fetchone()[0]
    body = await get_json(api, f"visitors/{visitor_id}")
    shapes.assert_shape(body, shapes.VISITOR, shapes.VISITOR_EXTRAS)
    data = body["data"]
    lifecycle = {g["name"] for g in data["activity"]["completedGoals"] if g["origin"] == "payment_provider"}
    assert {"payment", "subscription_started", "subscription_renewed"} <= lifecycle
    assert len(data["activity"]["payments"]) == payments and any(p["renewal"] for p in data["activity"]["payments"])
    assert data["profile"]["userId"] and data["profile"]["identifiedAt"]
    times = [g["timestamp"] for g in data["activity"]["completedGoals"]]
    assert times == sorted(times)


async def test_unknown_path_and_wrong_method_use_the_envelope(api: httpx.AsyncClient) -> None:
    missing = await api.get("analytics/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == 404
    wrong = await api.post("analytics/overview")
    assert wrong.status_code == 405 and wrong.json()["status"] == "error"
    assert "GET" in wrong.json()["error"]["message"]


async def test_trailing_slash_is_accepted(api: httpx.AsyncClient) -> None:
    assert (await api.get("analytics/metadata/")).status_code == 200


async def test_every_documented_endpoint_is_served(api: httpx.AsyncClient, shared_db: DemoDatabase) -> None:
    documented = set(re.findall(r"`(GET|POST|DELETE) https://datafa\.st/api/v1/([^`?]+)`", DOCS.read_text()))
    assert len(documented) >= 20
    for method, path in documented:
        path = path.replace("{datafast_visitor_id}", some_visitor(shared_db))
        # Bodiless writes must fail validation (400), never be unknown (404) or unroutable (405).
        response = await api.request(method, path)
        assert response.status_code in (200, 400), (method, path, response.text)


async def test_unexpected_failure_is_a_500_envelope(shared_db: DemoDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
    from datafast_tui.demo import reports

    def broken(db: DemoDatabase, req: object) -> dict:
        raise RuntimeError("boom")

    monkeypatch.setattr(reports, "metadata", broken)
    async with client_for(shared_db) as client:
        response = await client.get("analytics/metadata")
    assert response.status_code == 500
    assert response.json() == {"status": "error", "error": {"code": 500, "message": "Internal server error"}}


def test_demo_imports_neither_textual_nor_the_api_client() -> None:
    code = (
        "import sys, datafast_tui.demo, datafast_tui.demo.serve;"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'textual' or m.startswith('datafast_tui.api')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
