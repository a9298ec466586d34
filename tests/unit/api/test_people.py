"""People search: the global query mapped onto `GET visitors`, its rows read, its pages walked.

The rows' fields are today's pages' (visitorId, lastSeenAt, currentUrl, identity.{country,
region, city, browser, os, device}, acquisition, pagination {limit, offset, hasMore}).
"""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from datafast_tui.api.client import DataFastClient
from datafast_tui.api.dates import DateRange
from datafast_tui.api.errors import MalformedResponseError, QueryError
from datafast_tui.api.filters import Filter
from datafast_tui.api.people import PeoplePage, PeopleSearch
from datafast_tui.api.query import Query

ROW = {
    "visitorId": "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd",
    "lastSeenAt": "2026-05-05T12:00:00Z",
    "currentUrl": "datafa.st/pricing",
    "identity": {"country": "US", "region": "CA", "city": "San Francisco", "browser": "Chrome", "os": "Mac OS",
                 "device": "desktop"},
    "acquisition": {"referrer": "Google", "utm_campaign": "launch"},
}


def test_every_mappable_filter_becomes_its_plain_parameter() -> None:
    query = Query(
        range=DateRange(date(2026, 4, 1), date(2026, 4, 30)),
        filters=(Filter("page", "is", ("/pricing", "/plans")), Filter("goal", "is", ("signup",)),
                 Filter("country", "is", ("France", "Spain")), Filter("utm_campaign", "is", ("launch",)),
                 Filter("via", "is", ("x",))),
    )
    params = PeopleSearch(query).params()
    assert params["visitedPage"] == "/pricing,/plans" and params["completedGoal"] == "signup"
    assert params["country"] == "France,Spain" and params["utm_campaign"] == "launch" and params["via"] == "x"
    assert params["startAt"] == "2026-04-01" and not any(k.startswith("filter_") for k in params)
    assert PeopleSearch(query).left_out == ()
    contains = PeopleSearch(Query(filters=(Filter("page", "contains", ("/docs",)),))).params()
    assert contains == {"visitedPageContains": "/docs"}


def test_what_the_list_cannot_say_is_left_out_and_named() -> None:
    query = Query(filters=(Filter("country", "is_not", ("France",)), Filter("entry_page", "is", ("/",)),
                           Filter("page", "does_not_contain", ("/blog",)), Filter("goal", "is", ("a", "b"))),
                  compare=True)
    search = PeopleSearch(query)
    assert search.params() == {}
    words = " | ".join(search.left_out)
    for part in ("country is not France", "entry page", "does not contain", "one completed goal", "compare"):
        assert part in words, words


def test_a_goal_with_the_customer_choice_is_refused_before_sending() -> None:
    search = PeopleSearch(Query(filters=(Filter("goal", "is", ("signup",)),)), customer=True)
    with pytest.raises(QueryError, match="cannot be combined"):
        search.params()
    assert PeopleSearch(customer=False).params() == {"isCustomer": "false"}


def test_rows_are_read_with_today_fields_and_has_more() -> None:
    page = PeoplePage.from_json({"status": "success", "data": [ROW],
                                 "pagination": {"limit": 1, "offset": 0, "hasMore": True}})
    row = page.rows[0]
    assert row.location == "San Francisco, CA, US" and row.device_text == "desktop · Chrome · Mac OS"
    assert row.acquisition_text == "Google · utm_campaign=launch" and row.is_customer is None
    assert page.has_more and not page.pagination.exact
    # The single visitor's shapes ({name}, {type}) read too; numbers as text.
    odd = dict(ROW, identity={"browser": {"name": "Firefox"}, "device": {"type": "mobile"}, "region": 75})
    assert PeoplePage.from_json({"data": [odd]}).rows[0].device_text == "mobile · Firefox"


@pytest.mark.parametrize("body", [
    {"data": [{"lastSeenAt": "2026-05-05T12:00:00Z"}]},  # no id
    {"data": [dict(ROW, identity=[1])]},
    {"data": [dict(ROW, acquisition="Google")]},
    {"data": [dict(ROW, lastSeenAt="yesterday")]},
    {"data": {"visitorId": "x"}},
])
async def test_malformed_rows_are_a_typed_error(body: dict) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    async with DataFastClient("df_test", transport=transport) as client:
        with pytest.raises(MalformedResponseError):
            await client.people(PeopleSearch())


async def test_the_client_sends_the_plain_parameters_and_the_page() -> None:
    seen: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, content=json.dumps({"status": "success", "data": [ROW],
                                                       "pagination": {"limit": 250, "offset": 500, "hasMore": False}}))

    async with DataFastClient("df_test", transport=httpx.MockTransport(answer)) as client:
        search = PeopleSearch(Query(filters=(Filter("device", "is", ("mobile",)),)), customer=True)
        page = await client.people(search, offset=500)
        with pytest.raises(QueryError):
            await client.people(search, limit=251)
    assert seen[0].path == "/api/v1/visitors"
    assert dict(seen[0].params) == {"device": "mobile", "isCustomer": "true", "limit": "250", "offset": "500"}
    assert not page.has_more and len(seen) == 1
