"""Funnels: the documented list shape, the analytics answer under its likely names, bad ids and bodies."""

from __future__ import annotations

import httpx
import pytest

from datafast_tui.api.client import DataFastClient
from datafast_tui.api.errors import MalformedResponseError, QueryError
from datafast_tui.api.funnels import FunnelDefinition, FunnelReport, funnel_id_problem

LISTED = {"status": "success", "data": [
    {"_id": "665f0b3c4d2e1a0012345678", "websiteId": "665f0b3c4d2e1a0012345678", "name": "Signup funnel",
     "slug": "signup-funnel", "isActive": True, "createdAt": "2026-05-21T00:00:00Z",
     "steps": [{"id": "landing", "name": "Landing", "type": "pageview", "url": "/"},
               {"id": "signup", "name": "Signup", "type": "goal", "goalName": "signup"}]},
    {"_id": "665f0b3c4d2e1a00123456aa", "name": "Old", "isActive": False, "steps": []},
]}


def test_the_documented_list_reads_and_inactive_funnels_are_left_out() -> None:
    funnels = FunnelDefinition.list_from_json(LISTED["data"])
    assert [f.name for f in funnels] == ["Signup funnel"]
    assert [s.describe for s in funnels[0].steps] == ["page /", "goal signup"]


@pytest.mark.parametrize("data", [
    # Our demo's names.
    {"name": "F", "conversionRate": 25.0, "steps": [
        {"name": "A", "type": "pageview", "url": "/", "visitors": 100, "conversionRate": 100, "dropOff": 0},
        {"name": "B", "type": "goal", "goalName": "signup", "visitors": 25, "conversionRate": 25, "dropOff": 75,
         "revenue": 49}]},
    # Other likely names, rates left out: worked out from the counts.
    {"funnel": {"name": "F"}, "steps": [
        {"name": "A", "type": "pageview", "url": "/", "count": 100},
        {"name": "B", "type": "goal", "goalName": "signup", "users": 25, "drop_off_rate": 75.0}]},
    # A one-element list, as several endpoints wrap their object.
    [{"name": "F", "steps": [{"name": "A", "url": "/", "visitors": 100},
                             {"name": "B", "goalName": "signup", "visitors": 25}]}],
])
def test_the_report_reads_under_each_likely_shape(data) -> None:
    report = FunnelReport.from_json(data)
    assert report.name == "F" and report.entered == 100 and report.completed == 25
    assert report.conversion_rate == 25.0
    second = report.steps[1]
    assert second.conversion_rate == 25.0 and second.drop_off == 75 and second.drop_off_rate == 75.0
    assert second.type == "goal" and second.target == "signup"


@pytest.mark.parametrize("data", [
    {"steps": [{"name": "A"}]},  # no visitors
    {"steps": "A"},
    {"steps": [{"name": "A", "visitors": "many"}]},
    "nothing",
])
async def test_a_malformed_report_is_a_typed_error(data) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"status": "success", "data": data}))
    async with DataFastClient("df_test", transport=transport) as client:
        with pytest.raises(MalformedResponseError):
            await client.funnel_report("665f0b3c4d2e1a0012345678")


async def test_ids_are_checked_before_they_reach_a_path() -> None:
    seen: list[httpx.URL] = []
    transport = httpx.MockTransport(lambda r: seen.append(r.url) or httpx.Response(200, json=LISTED))
    async with DataFastClient("df_test", transport=transport) as client:
        for bad in ("", "../analytics/overview", "a b", "x" * 65, "id\x1b[2J"):
            assert funnel_id_problem(bad) is not None
            with pytest.raises(QueryError):
                await client.funnel_report(bad)
            with pytest.raises(QueryError):
                await client.funnels(bad)
        listed = await client.funnels("665f0b3c4d2e1a0012345678")
    assert len(listed) == 1 and [u.path for u in seen] == ["/api/v1/admin/websites/665f0b3c4d2e1a0012345678/funnels"]
    assert "websiteId" not in seen[0].params  # a website key never sends it
