"""The demo's funnels: today's list shape, and step analytics by SQL that agree with its other endpoints."""

from __future__ import annotations

import httpx

from datafast_tui.demo import DemoDatabase
from datafast_tui.demo.server import account_token_for, website_id
from tests.unit.demo.conftest import client_for, get_json
from tests.unit.demo.shapes import NUM, assert_shape

STEP = {"id": str, "name": str, "type": str, "visitors": int, "conversionRate": NUM, "dropOff": int,
        "dropOffRate": NUM, "revenue": NUM}


async def test_the_list_and_each_report(shared_db: DemoDatabase, api: httpx.AsyncClient) -> None:
    site = website_id(shared_db)
    listed = await get_json(api, f"admin/websites/{site}/funnels")
    assert_shape(listed, {"status": str, "data": [{"_id": str, "websiteId": str, "name": str, "slug": str,
                                                   "steps": [dict], "isActive": bool, "createdAt": str}]})
    assert len(listed["data"]) == 3 and all(2 <= len(f["steps"]) <= 8 for f in listed["data"])
    for funnel in listed["data"]:
        report = await get_json(api, f"analytics/funnels/{funnel['_id']}")
        data = report["data"]
        assert data["name"] == funnel["name"] and len(data["steps"]) == len(funnel["steps"])
        for step in data["steps"]:
            assert_shape(step, STEP, extras={"url", "goalName"})
        counts = [s["visitors"] for s in data["steps"]]
        assert counts == sorted(counts, reverse=True) and counts[-1] > 0  # each step a subset of the one before
        assert data["conversionRate"] == round(counts[-1] / counts[0] * 100, 2)
        assert all(s["dropOff"] == a - s["visitors"] for a, s in zip(counts, data["steps"][1:], strict=False))


async def test_the_first_pageview_step_is_the_pages_visitors_and_filters_narrow(api: httpx.AsyncClient,
                                                                               shared_db: DemoDatabase) -> None:
    site = website_id(shared_db)
    signup = next(f for f in (await get_json(api, f"admin/websites/{site}/funnels"))["data"]
                  if f["slug"] == "docs-to-signup")
    window: dict[str, str] = {}  # all time
    report = (await get_json(api, f"analytics/funnels/{signup['_id']}", **window))["data"]
    pages = (await get_json(api, "analytics/pages", limit=1000, **window))["data"]
    viewed = sum(r["visitors"] for r in pages if r["path"] == "/getting-started")
    # Breakdown visitors count per page row (one host here); the funnel's first step counts the same people.
    assert abs(report["steps"][0]["visitors"] - viewed) <= viewed * 0.02
    mobile = (await get_json(api, f"analytics/funnels/{signup['_id']}", filter_device="mobile", **window))["data"]
    assert 0 < mobile["steps"][0]["visitors"] < report["steps"][0]["visitors"]


async def test_access_and_errors(shared_db: DemoDatabase, api: httpx.AsyncClient) -> None:
    site = website_id(shared_db)
    assert (await api.get("analytics/funnels/" + "f" * 24)).status_code == 404
    other = await api.get(f"admin/websites/{'0' * 24}/funnels")
    assert other.status_code == 403
    bad = await api.get(f"analytics/funnels/{'f' * 24}", params={"filter_device": "sometimes:x"})
    assert bad.status_code in (400, 404)
    async with client_for(shared_db, headers={"Authorization": f"Bearer {account_token_for('demo')}"}) as account:
        assert (await account.get(f"admin/websites/{site}/funnels")).status_code == 200
