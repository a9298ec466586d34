"""The demo follows today's API pages where they moved since February (issue 15).

Account tokens with `websiteId`, the documented filter operators (and a 400 for an unknown
one), the timeseries' default windows, `payments` fields, today's write fields and
aliases, both names of a deletion's range, and the rate-limit headers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from datafast_tui.demo import DemoDatabase, rate_window
from datafast_tui.demo.server import account_token_for, website_id
from tests.unit.demo.conftest import AUTH, client_for, get_json
from tests.unit.demo.shapes import OPT_STR, assert_shape

ACCOUNT = {"Authorization": f"Bearer {account_token_for('demo')}"}


async def test_an_account_token_names_the_website_on_every_website_route(shared_db: DemoDatabase) -> None:
    async with client_for(shared_db, headers=ACCOUNT) as api:
        listed = await get_json(api, "admin/websites")
        assert_shape(listed, {"status": str, "data": [{"_id": str, "domain": str, "name": OPT_STR, "trackingId": str,
                                                       "timezone": str, "currency": str, "role": str}]})
        site = listed["data"][0]
        assert site["_id"] == website_id(shared_db) and site["role"] == "owner"
        missing = await api.get("analytics/overview")
        assert missing.status_code == 400 and "websiteId is required" in missing.json()["error"]["message"]
        other = await api.get("analytics/overview", params={"websiteId": "0" * 24})
        assert other.status_code == 403 and other.json()["error"]["code"] == 403
        ok = await get_json(api, "analytics/overview", websiteId=site["_id"])
    async with client_for(shared_db) as api:  # the website key: no websiteId needed, no account routes
        assert (await get_json(api, "analytics/overview")) == ok
        refused = await api.get("admin/websites")
        assert refused.status_code == 403 and "account token" in refused.json()["error"]["message"]


@pytest.mark.parametrize(("value", "status"), [
    ("sometimes:mobile", 400),  # an unknown operator word is not read as `is` any more
    ("contains:mob", 400),  # device documents is / is_not only
    ("is_not:mobile", 200),
])
async def test_device_takes_the_documented_operators_only(api: httpx.AsyncClient, value: str, status: int) -> None:
    response = await api.get("analytics/overview", params={"filter_device": value})
    assert response.status_code == status, response.text
    if status == 400:
        assert "filter_device" in response.json()["error"]["message"]


async def test_page_and_entry_page_take_does_not_contain(api: httpx.AsyncClient) -> None:
    for dimension in ("page", "entry_page"):
        every = (await get_json(api, "analytics/overview"))["data"][0]["sessions"]
        has = (await get_json(api, "analytics/overview", **{f"filter_{dimension}": "contains:/blog"}))
        lacks = (await get_json(api, "analytics/overview", **{f"filter_{dimension}": "does_not_contain:/blog"}))
        # Like is / is_not, the two select complementary sessions.
        assert has["data"][0]["sessions"] + lacks["data"][0]["sessions"] == every
        assert 0 < has["data"][0]["sessions"] < every


@pytest.mark.parametrize(("interval", "first_point_age"), [
    ("hour", timedelta(hours=23)), ("day", timedelta(days=29)), ("week", timedelta(days=35)),
    ("month", timedelta(days=366)),
])
async def test_timeseries_without_a_range_uses_the_documented_default_window(
        api: httpx.AsyncClient, shared_db: DemoDatabase, interval: str, first_point_age: timedelta) -> None:
    body = await get_json(api, "analytics/timeseries", fields="visitors", interval=interval, limit=1000)
    first = datetime.fromisoformat(body["data"][0]["timestamp"])
    now = datetime.fromtimestamp(shared_db.now_ms() / 1000, first.tzinfo)
    slack = timedelta(hours=1) if interval == "hour" else timedelta(days=1)  # the bucket under way
    assert now - first <= first_point_age + slack, (interval, first)
    assert body["pagination"]["total"] == len(body["data"]) < 60  # a window, not 90 days of history
    with_range = await get_json(api, "analytics/timeseries", fields="visitors", interval="day",
                                startAt="2026-02-19", endAt="2026-02-19")
    assert with_range["interval"] == "hour"  # a same-day range is upgraded


async def test_payments_is_a_field_of_overview_timeseries_and_breakdown_rows(api: httpx.AsyncClient) -> None:
    overview = await get_json(api, "analytics/overview", fields="visitors,payments")
    assert set(overview["data"][0]) == {"visitors", "payments"}
    series = await get_json(api, "analytics/timeseries", fields="revenue", interval="month")
    assert "payments" in series["data"][0] and "payments" in series["totals"]  # revenue brings payments
    assert sum(p["payments"] for p in series["data"]) == series["totals"]["payments"]
    rows = (await get_json(api, "analytics/referrers"))["data"]
    assert all(isinstance(r["payments"], int) for r in rows) and sum(r["payments"] for r in rows) > 0


async def test_goal_names_take_colons_descriptions_and_the_visitor_alias(db: DemoDatabase) -> None:
    with db.read() as (conn, _now):
        visitor = conn.execute("SELECT visitor_id FROM visitors v WHERE is_bot = 0 AND EXISTS"
                               " (SELECT 1 FROM pageviews p WHERE p.vkey = v.vkey) LIMIT 1").fetchone()[0]
    async with client_for(db) as api:
        made = await api.post("goals", json={"visitorId": visitor, "name": "plan:pro", "description": "Chose Pro"})
        assert made.status_code == 200, made.text
        reserved = await api.post("goals", json={"datafast_visitor_id": visitor, "name": "identify"})
        assert reserved.status_code == 400 and "reserved" in reserved.json()["error"]["message"]
        colon_key = await api.post("goals", json={"datafast_visitor_id": visitor, "name": "x",
                                                  "metadata": {"a:b": "1"}})
        assert colon_key.status_code == 400  # metadata keys stay ^[a-z0-9_-]+$
        goals = (await get_json(api, f"visitors/{visitor}"))["data"]["activity"]["completedGoals"]
    mine = [g for g in goals if g["name"] == "plan:pro"]
    assert mine and mine[0]["description"] == "Chose Pro" and mine[0]["origin"] == "manual"


async def test_payments_take_the_customer_aliases_and_free_trials(api_rw: httpx.AsyncClient) -> None:
    trial = {"amount": 0, "currency": "usd", "transaction_id": "trial-1", "is_free_trial": True,
             "customer_email": "a@example.com", "customer_name": "Ann"}
    assert (await api_rw.post("payments", json=trial)).status_code == 200
    paid_trial = {**trial, "transaction_id": "trial-2", "amount": 5}
    refused = await api_rw.post("payments", json=paid_trial)
    assert refused.status_code == 400 and "is_free_trial" in refused.json()["error"]["message"]
    clash = {"amount": 1, "currency": "USD", "transaction_id": "p-3", "email": "a@x.io", "customer_email": "b@x.io"}
    refused = await api_rw.post("payments", json=clash)
    assert refused.status_code == 400 and "customer_email" in refused.json()["error"]["message"]


async def test_a_deletion_range_is_read_under_either_name(api_rw: httpx.AsyncClient) -> None:
    window = {"start": "2026-02-01T00:00:00Z", "end": "2026-02-02T00:00:00Z"}
    short = await api_rw.delete("goals", params=window)
    long = await api_rw.delete("goals", params={"startAt": window["start"], "endAt": window["end"]})
    assert short.status_code in (200, 404) and long.status_code in (200, 404)
    both = await api_rw.delete("payments", params={**window, "startAt": window["start"], "endAt": window["end"]})
    assert both.status_code == 200, both.text  # the same range twice is one range
    clash = await api_rw.delete("payments", params={**window, "startAt": "2026-01-01T00:00:00Z",
                                                    "endAt": window["end"]})
    assert clash.status_code == 400


async def test_every_answer_carries_rate_limit_headers_in_milliseconds(shared_db: DemoDatabase,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rate_window, "LIMIT", 60)  # what a real key gets (the suite raises it)
    async with client_for(shared_db) as api:
        first = await api.get("analytics/realtime")
        second = await api.get("analytics/overview", params={"fields": "nope"})  # refused requests count too
    assert second.status_code == 400
    assert first.headers["x-ratelimit-limit"] == "60"
    assert (int(first.headers["x-ratelimit-remaining"]), int(second.headers["x-ratelimit-remaining"])) == (59, 58)
    assert int(first.headers["x-ratelimit-reset"]) > 10**12  # epoch milliseconds


def test_the_website_key_header_is_the_default() -> None:
    assert AUTH == {"Authorization": "Bearer demo"}


async def test_the_visitors_list_pages_with_has_more_and_takes_plain_filters(api: httpx.AsyncClient) -> None:
    """Today's `GET visitors`: no total, `hasMore` instead; unprefixed filters without operators."""
    first = await get_json(api, "visitors", limit=50)
    assert_shape(first, {"status": str, "data": [{"visitorId": str, "lastSeenAt": str, "currentUrl": OPT_STR,
                                                  "identity": {k: str for k in ("country", "region", "city", "browser",
                                                                                "os", "device")},
                                                  "acquisition": dict, "isCustomer": bool}],
                         "pagination": {"limit": int, "offset": int, "hasMore": bool}})
    assert len(first["data"]) == 50 and first["pagination"]["hasMore"]
    seen = [v["lastSeenAt"] for v in first["data"]]
    assert seen == sorted(seen, reverse=True)
    second = await get_json(api, "visitors", limit=50, offset=50)
    assert not {v["visitorId"] for v in first["data"]} & {v["visitorId"] for v in second["data"]}
    buyers = await get_json(api, "visitors", isCustomer="true", visitedPage="/pricing", country="US", limit=250)
    assert buyers["data"] and all(v["identity"]["country"] == "US" for v in buyers["data"])
    last = await get_json(api, "visitors", goal="signup", limit=250, offset=10**6)
    assert last["data"] == [] and last["pagination"]["hasMore"] is False
    for bad in ({"limit": "251"}, {"isCustomer": "yes"}, {"isCustomer": "true", "completedGoal": "signup"},
                {"page": "/a", "visitedPage": "/b"}):
        response = await api.get("visitors", params=bad)
        assert response.status_code == 400, (bad, response.text)
