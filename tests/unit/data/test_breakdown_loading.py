"""Fetching breakdown tables through the store: pages, the rest, the visitor total, parents."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from datafast_tui.api.errors import ServerError
from datafast_tui.api.filters import Filter
from datafast_tui.api.query import Query
from datafast_tui.data import breakdown_loading
from datafast_tui.data.breakdown_loading import find_parents, load_page, load_rest, total_visitors
from datafast_tui.data.breakdown_rows import BreakdownRows
from datafast_tui.data.store import AnalyticsStore
from tests.helpers import Recorder, error, make_client, ok

CITIES = [{"city": f"City {i}", "visitors": 1000 - i, "revenue": i} for i in range(25)]


def cities(request: httpx.Request) -> httpx.Response:
    limit, offset = int(request.url.params["limit"]), int(request.url.params.get("offset", 0))
    page = CITIES[offset:offset + limit]
    return ok({"status": "success", "data": page, "pagination": {"limit": limit, "offset": offset, "total": 25}})


def store_for(recorder: Recorder) -> AnalyticsStore:
    return AnalyticsStore(make_client(recorder, max_attempts=1))


async def test_pages_follow_each_other_and_the_rest_comes_in_order() -> None:
    recorder = Recorder(cities)
    store = store_for(recorder)
    rows = BreakdownRows("cities", Query())
    await load_page(store, rows, page_size=10)
    assert len(rows.rows) == 10 and rows.total == 25 and not rows.complete
    seen = []
    await load_rest(store, rows, page_size=10, on_progress=lambda got, total: seen.append((got, total)))
    assert [r.labels["city"] for r in rows.rows] == [c["city"] for c in CITIES]
    assert seen == [(20, 25), (25, 25)] and rows.complete
    assert [r.url.params["offset"] for r in recorder.requests] == ["0", "10", "20"]


async def test_until_stops_at_the_rows_asked_for() -> None:
    store = store_for(Recorder(cities))
    rows = BreakdownRows("cities", Query())
    await load_rest(store, rows, page_size=10, until=15)  # the first page comes with it
    assert rows.received == 20 and not rows.complete


async def test_a_failing_page_raises_and_keeps_the_pages_before_it(monkeypatch) -> None:
    monkeypatch.setattr(breakdown_loading, "CONCURRENT_PAGES", 1)

    def flaky(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("offset") == "20":
            return error(503, "try later")
        return cities(request)

    store = store_for(Recorder(flaky))
    rows = BreakdownRows("cities", Query())
    with pytest.raises(ServerError, match="try later"):
        await load_rest(store, rows, page_size=10)
    assert rows.received == 20


async def test_total_visitors_is_the_overviews_or_none() -> None:
    recorder = Recorder(lambda r: ok({"status": "success", "data": [{"visitors": 1234}]}))
    assert await total_visitors(store_for(recorder), Query()) == 1234.0
    broken = Recorder(lambda r: error(500, "down"))
    assert await total_visitors(store_for(broken), Query()) is None


async def test_parents_are_added_only_when_the_data_names_exactly_one() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        city = request.url.params["filter_city"].removeprefix("is:")
        endpoint = request.url.path.rsplit("/", 1)[-1]
        places = {"Paris": {"countries": ["France"], "regions": ["Île-de-France"]},
                  "Springfield": {"countries": ["United States of America"], "regions": ["Illinois", "Missouri"]}}
        key = {"countries": "country", "regions": "region"}[endpoint]
        data = [{key: name, "visitors": 1} for name in places[city][endpoint]]
        return ok({"status": "success", "data": data,
                   "pagination": {"limit": 2, "offset": 0, "total": len(data)}})

    store = store_for(Recorder(answer))
    paris = await find_parents(store, Query(), Filter("city", "is", ("Paris",)), ("country", "region"))
    assert [f.describe() for f in paris] == ["country is France", "region is Île-de-France"]
    springfield = await find_parents(store, Query(), Filter("city", "is", ("Springfield",)), ("country", "region"))
    assert [f.describe() for f in springfield] == ["country is United States of America"]


async def test_the_whole_table_loads_concurrently_but_lands_in_order() -> None:
    gate = asyncio.Event()
    order = []

    async def slow_first(request: httpx.Request) -> httpx.Response:
        offset = request.url.params.get("offset")
        if offset == "10":
            await gate.wait()  # the second page answers last
        order.append(offset)
        if offset == "20":
            gate.set()
        return cities(request)

    store = AnalyticsStore(make_client(slow_first, max_attempts=1))
    rows = BreakdownRows("cities", Query())
    await load_page(store, rows, page_size=10)
    await load_rest(store, rows, page_size=10)
    assert order == ["0", "20", "10"] and [r.labels["city"] for r in rows.rows] == [c["city"] for c in CITIES]
