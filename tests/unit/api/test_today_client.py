"""The client reads today's API as well as February's (issue 15): fixtures written from the
current pages' documented fields, beside the February examples in tests/fixtures/docs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest

from datafast_tui.api import errors as e
from datafast_tui.api.dates import resolve_preset
from datafast_tui.api.models import Pagination
from datafast_tui.api.query import Query
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.api.responses import server_budget
from datafast_tui.data.store import AnalyticsStore
from tests.helpers import FakeSleep, Recorder, docs_example, make_client, ok

VID = "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd"
SITE = "665f0b3c4d2e1a0012345678"

#: Today's realtime-map field table: system.browser, system.os, system.device are string|null.
TODAY_MAP = {"status": "success", "data": {
    "count": 2,
    "visitors": [
        {"visitorId": VID, "location": {"city": "Denver", "region": "US-CO", "countryCode": "US"},
         "system": {"browser": "Chrome", "os": "Mac OS", "device": "desktop"}, "currentUrl": "/pricing",
         "profileData": {}, "conversionLikelihood": None},
        {"visitorId": "b971cbbf-7ce2-4925-902b-8f95a5fb3449", "location": {},
         "system": {"browser": None, "os": None, "device": None}, "currentUrl": None, "profileData": {}},
    ],
    "conversionMetrics": {}, "hasConversionPredictions": False, "recentEvents": [], "recentPayments": []}}

#: Today's visitor page: completedGoals (custom and payment lifecycle goals, with an origin),
#: profile (Identify), identity.adClickIds, activity.payments.
TODAY_VISITOR = {"status": "success", "data": {
    "visitorId": VID,
    "identity": {"country": "United States", "countryCode": "US", "params": {"via": "partner"},
                 "adClickIds": {"gclid": "Cj0KCQ", "fbclid": None},
                 "browser": {"name": "Chrome", "version": "120"}, "os": {}, "device": {}, "viewport": {}},
    "activity": {
        "visitCount": 2, "pageViewCount": 5, "visitedPages": [{"url": "/", "timestamp": "2026-05-01T10:00:00Z"}],
        "completedGoals": [
            {"name": "signup", "timestamp": "2026-05-01T10:01:00Z", "origin": "manual"},
            {"name": "free_trial", "timestamp": "2026-05-01T10:02:00Z", "origin": "payment_provider"},
            {"name": "subscription_started", "timestamp": "2026-05-15T10:02:00Z", "origin": "payment_provider"},
        ],
        "payments": [{"amount": 29.0, "currency": "USD", "timestamp": "2026-05-15T10:02:00Z",
                      "transaction_id": "pi_1", "renewal": False}],
    },
    "profile": {"userId": "user_42", "metadata": {"plan": "pro"}, "identifiedAt": "2026-05-01T10:03:00Z"},
    "prediction": None}}


async def test_realtime_map_reads_both_shapes_of_system() -> None:
    async with make_client(Recorder(lambda r: ok(TODAY_MAP))) as client:
        today = await client.realtime_map()
    async with make_client(Recorder(lambda r: ok(docs_example("realtime_map")))) as client:
        february = await client.realtime_map()
    assert (today.visitors[0].browser, today.visitors[0].os, today.visitors[0].device) == ("Chrome", "Mac OS",
                                                                                            "desktop")
    assert today.visitors[1].browser is None and today.visitors[1].device is None
    assert february.visitors[0].browser == "Chrome" and february.visitors[0].device == "desktop"


async def test_visitor_reads_every_goal_kind_the_profile_payments_and_ad_clicks() -> None:
    async with make_client(Recorder(lambda r: ok(TODAY_VISITOR))) as client:
        visitor = await client.visitor(VID)
    goals = visitor.activity.completed_goals
    assert [(g.name, g.origin) for g in goals] == [("signup", "manual"), ("free_trial", "payment_provider"),
                                                    ("subscription_started", "payment_provider")]
    assert [g.from_payment_provider for g in goals] == [False, True, True]
    assert visitor.profile is not None and visitor.profile.user_id == "user_42"
    assert dict(visitor.profile.metadata) == {"plan": "pro"}
    assert visitor.activity.payments[0].transaction_id == "pi_1" and visitor.activity.payments[0].kind == "payment"
    assert dict(visitor.identity.ad_click_ids) == {"gclid": "Cj0KCQ", "fbclid": None}
    # February's answer: completedCustomGoals only, no profile
    async with make_client(Recorder(lambda r: ok(docs_example("visitor")))) as client:
        old = await client.visitor(VID)
    assert old.activity.completed_goals and old.profile is None and old.activity.payments == ()


async def test_an_account_token_sends_website_id_and_says_why_it_needs_one() -> None:
    rec = Recorder(lambda r: ok({"status": "success", "data": [{"visitors": 3}]}))
    async with make_client(rec, key="dft_account_SECRET") as client:
        with pytest.raises(e.ConfigurationError, match="account token") as caught:
            await client.overview()
        assert "press w" in str(caught.value).lower() and not rec.requests  # said before sending
    async with make_client(rec, key="dft_account_SECRET", website_id=SITE) as client:
        await client.overview()
        await client.realtime()
    assert [r.url.params["websiteId"] for r in rec.requests] == [SITE, SITE]
    async with make_client(rec) as client:  # a website key: no websiteId
        await client.overview()
    assert "websiteId" not in rec.last.url.params


@pytest.mark.parametrize("key", ["_id", "id"])  # today's account pages use both
async def test_the_accounts_websites_are_listed_without_website_id(key: str) -> None:
    body = {"status": "success", "data": [{key: SITE, "domain": "example.com", "name": "Example",
                                           "timezone": "America/New_York", "currency": "USD", "role": "owner"}]}
    rec = Recorder(lambda r: ok(body))
    async with make_client(rec, key="dft_account_SECRET") as client:
        sites = await client.websites()
    assert rec.last.url.path == "/api/v1/admin/websites" and "websiteId" not in rec.last.url.params
    assert sites[0].id == SITE and sites[0].label == "Example (example.com)"


def test_has_more_pagination_counts_one_more_page_while_it_says_so() -> None:
    assert Pagination.from_json({"limit": 100, "offset": 200, "hasMore": True}, 100) == \
        Pagination(100, 200, 400, exact=False)
    assert Pagination.from_json({"limit": 100, "offset": 200, "hasMore": False}, 40).total == 240
    assert Pagination.from_json({"limit": 100, "offset": 0, "total": 7}, 7).exact


async def test_a_timeseries_without_totals_is_paged_until_has_more_is_false() -> None:
    def page(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", "0"))
        points = [{"visitors": 1, "name": str(i), "timestamp": f"2026-01-01T{i % 24:02d}:00:00Z"}
                  for i in range(offset, min(offset + 1000, 2500))]
        return ok({"status": "success", "fields": ["visitors"], "interval": "hour", "timezone": "UTC",
                   "currency": None, "totals": {}, "data": points,
                   "pagination": {"limit": 1000, "offset": offset, "hasMore": offset + 1000 < 2500}})

    rec = Recorder(page)
    store = AnalyticsStore(make_client(rec))
    series = (await store.timeseries(Query(),
                                     fields=("visitors",), interval="hour")).value
    assert len(series.points) == 2500 and len(rec.requests) == 3
    await store.client.aclose()


def test_last_24_hours_at_half_past_eleven_utc_is_not_sent_as_whole_days() -> None:
    """startAt=…T00:00:00Z&endAt=…T23:59:59Z would be read as plain dates in the site's timezone."""
    late = datetime(2026, 12, 1, 23, 30, tzinfo=timezone.utc)
    params = resolve_preset("last_24_hours", late, timezone.utc).params()
    assert params["startAt"] == "2026-12-01T00:00:00Z"
    assert not params["endAt"].endswith("T23:59:59Z") and params["endAt"] == "2026-12-02T00:00:00Z"
    earlier = resolve_preset("last_24_hours", late - timedelta(hours=5), timezone.utc).params()
    assert earlier["endAt"].endswith(":59:59Z")  # other hours keep the inclusive last second


@pytest.mark.parametrize(("reset", "seconds"), [
    ("1764633623000", 23.0),  # epoch milliseconds
    ("1764633623", 23.0),  # epoch seconds
    ("23", 23.0),  # seconds from now
])
def test_rate_limit_headers_are_read_in_any_unit(reset: str, seconds: float) -> None:
    now = 1764633600.0
    response = httpx.Response(200, headers={"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "41",
                                            "X-RateLimit-Reset": reset})
    budget = server_budget(response, now=now)
    assert budget is not None and (budget.limit, budget.remaining) == (60, 41)
    assert budget.resets_at == pytest.approx(now + seconds)
    assert server_budget(httpx.Response(200), now=now) is None
    assert server_budget(httpx.Response(200, headers={"X-RateLimit-Remaining": "lots"}), now=now) is None


async def test_no_budget_left_holds_the_next_request_until_the_reset() -> None:
    sleep = FakeSleep()
    limiter = RateLimiter(1000, 60, clock=sleep.clock, sleep=sleep)
    rec = Recorder(lambda r: ok({"status": "success", "data": [{"visitors": 1}]},
                                headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "5"}))
    async with make_client(rec, sleep=sleep, limiter=limiter) as client:
        await client.overview()
        assert client.server_budget is not None and client.server_budget.remaining == 0
        await client.overview()
    assert sleep.delays and sleep.delays[0] == pytest.approx(5.0, abs=0.5)
