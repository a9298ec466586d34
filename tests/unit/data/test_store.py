"""The data layer: TTL cache, coalescing, stale-on-error, invalidation, connection status."""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
import pytest

from datafast_tui.api.dates import DateRange
from datafast_tui.api.errors import NetworkError, NotFoundError, ServerError, UnauthorizedError
from datafast_tui.api.filters import Filter
from datafast_tui.api.query import Query
from datafast_tui.api.writes import GoalRequest, PaymentRequest
from datafast_tui.data.breakdown_loading import load_rest
from datafast_tui.data.breakdown_rows import BreakdownRows
from datafast_tui.data.cache import TtlCache
from datafast_tui.data.store import AnalyticsStore
from tests.helpers import Recorder, docs_example, error, make_client, ok

WEEK = Query(range=DateRange(date(2026, 11, 19), date(2026, 11, 25)))


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def by_path(request: httpx.Request) -> httpx.Response:
    path = request.url.path.removeprefix("/api/v1/")
    names = {"analytics/overview": "overview", "analytics/metadata": "metadata", "analytics/realtime": "realtime",
             "analytics/timeseries": "timeseries", "analytics/cities": "cities", "goals": "create_goal",
             "payments": "create_payment"}
    return ok(docs_example(names[path]))


def make_store(rec: Recorder, clock: Clock | None = None) -> AnalyticsStore:
    clock = clock or Clock()
    return AnalyticsStore(make_client(rec), clock=clock, wall_clock=lambda: 1_700_000_000 + clock.now)


async def test_cache_hit_within_ttl_and_miss_after() -> None:
    clock = Clock()
    rec = Recorder(by_path)
    store = make_store(rec, clock)
    first = await store.overview(WEEK)
    second = await store.overview(WEEK)
    assert len(rec.requests) == 1 and second.value == first.value
    clock.now += 61  # overview TTL is 60 s
    await store.overview(WEEK)
    assert len(rec.requests) == 2


async def test_per_endpoint_ttls() -> None:
    clock = Clock()
    rec = Recorder(by_path)
    store = make_store(rec, clock)
    await store.realtime()
    await store.metadata()
    clock.now += 3
    await store.realtime()  # realtime is fresh for 2 s only
    await store.metadata()  # metadata for an hour
    assert [r.url.path.rsplit("/", 1)[-1] for r in rec.requests] == ["realtime", "metadata", "realtime"]


async def test_queries_that_send_the_same_request_share_an_entry() -> None:
    rec = Recorder(by_path)
    store = make_store(rec)
    await store.overview(WEEK)
    await store.overview(WEEK.toggled_compare())  # compare does not change the request
    assert len(rec.requests) == 1
    await store.overview(WEEK.with_filter(Filter("country", "is", ("France",))))
    assert len(rec.requests) == 2


async def test_refresh_bypasses_the_cache() -> None:
    rec = Recorder(by_path)
    store = make_store(rec)
    await store.overview(WEEK)
    await store.overview(WEEK, refresh=True)
    assert len(rec.requests) == 2


async def test_concurrent_identical_callers_send_one_request() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.05)
        return by_path(request)

    calls = []

    async def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return await slow(request)

    store = AnalyticsStore(make_client(handler))
    results = await asyncio.gather(*(store.overview(WEEK) for _ in range(20)))
    assert len(calls) == 1 and store.requests_sent == 1
    assert len({id(r.value) for r in results}) == 1


async def test_cancelled_caller_does_not_cancel_the_shared_load() -> None:
    gate = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        await gate.wait()
        return by_path(request)

    store = AnalyticsStore(make_client(handler))
    first = asyncio.create_task(store.overview(WEEK))
    second = asyncio.create_task(store.overview(WEEK))
    await asyncio.sleep(0.01)
    first.cancel()
    gate.set()
    assert (await second).value.visitors == 12450


async def test_stale_on_error_keeps_the_last_good_value_with_its_age() -> None:
    clock = Clock()
    rec = Recorder(by_path)
    store = make_store(rec, clock)
    good = await store.overview(WEEK)
    clock.now += 120
    rec.queue = [httpx.ConnectError("down")] * 4
    stale = await store.overview(WEEK)
    assert stale.value == good.value and stale.stale
    assert isinstance(stale.error, NetworkError)
    assert stale.age(now=1_700_000_000 + clock.now) == pytest.approx(120)
    assert store.status.state == "offline"
    fresh = await store.overview(WEEK)  # the network is back
    assert not fresh.stale and store.status.state == "ok"


async def test_error_with_nothing_cached_is_raised() -> None:
    rec = Recorder(lambda r: error(404, "Website not found"))
    store = make_store(rec)
    with pytest.raises(NotFoundError):
        await store.overview(WEEK)


async def test_connection_status_transitions_reach_listeners() -> None:
    rec = Recorder(by_path)
    store = make_store(rec)
    states = [store.status.state]
    # Status changes that only count loads in flight repeat the state: keep the transitions.
    unsubscribe = store.subscribe(lambda s: states.append(s.state) if s.state != states[-1] else None)
    rec.queue = [error(503, "busy")]
    await store.overview(WEEK)
    rec.queue = [error(401, "Invalid API key")]
    with pytest.raises(UnauthorizedError):
        await store.metadata()
    unsubscribe()
    await store.realtime()
    assert states[1:] == ["retrying", "ok", "unauthorized"]


async def test_server_error_marks_error_state() -> None:
    rec = Recorder(lambda r: error(500, "boom"))
    store = make_store(rec)
    with pytest.raises(ServerError):
        await store.overview(WEEK)
    assert store.status.state == "error" and store.status.error.status == 500


async def test_writes_invalidate_what_they_affect() -> None:
    rec = Recorder(by_path)
    store = make_store(rec)
    await store.overview(WEEK)
    await store.metadata()
    await store.create_goal(GoalRequest("v", "signup"))
    await store.overview(WEEK)  # refetched: goals and payments change analytics
    await store.metadata()  # still cached: writes never change site settings
    paths = [r.url.path.rsplit("/", 1)[-1] for r in rec.requests]
    assert paths == ["overview", "metadata", "goals", "overview"]
    await store.create_payment(PaymentRequest(5, "USD", "tx-1"))
    await store.overview(WEEK)
    assert [r.url.path.rsplit("/", 1)[-1] for r in rec.requests][-2:] == ["payments", "overview"]


async def test_invalidation_during_a_load_does_not_cache_the_old_answer() -> None:
    gate = asyncio.Event()
    calls = []

    async def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            await gate.wait()
        return by_path(request)

    store = AnalyticsStore(make_client(handler))
    loading = asyncio.create_task(store.overview(WEEK))
    await asyncio.sleep(0.01)
    store.invalidate(["overview"])
    gate.set()
    await loading
    await store.overview(WEEK)
    assert len(calls) == 2


async def test_timeseries_fetches_every_page() -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        total = 2500
        points = [{"visitors": i, "name": str(i), "timestamp": "2026-01-01T00:00:00Z"}
                  for i in range(offset, min(offset + 1000, total))]
        return ok({"status": "success", "fields": ["visitors"], "interval": "hour", "timezone": "UTC",
                   "totals": {"visitors": 1}, "data": points,
                   "pagination": {"limit": 1000, "offset": offset, "total": total}})

    rec = Recorder(respond)
    store = make_store(rec)
    result = await store.timeseries(WEEK, fields=["visitors"], interval="hour")
    assert len(result.value.points) == 2500
    assert result.value.series("visitors")[:3] == [0, 1, 2] and result.value.series("visitors")[-1] == 2499
    assert sorted(r.url.params.get("offset", "0") for r in rec.requests) == ["0", "1000", "2000"]


async def test_a_whole_breakdown_pages_with_progress() -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        rows = [{"city": f"c{i}", "visitors": 5000 - i, "revenue": 0} for i in range(offset, min(offset + limit, 2297))]
        return ok({"status": "success", "data": rows, "pagination": {"limit": limit, "offset": offset, "total": 2297}})

    rec = Recorder(respond)
    store = make_store(rec)
    progress = []
    rows = BreakdownRows("cities", WEEK)
    await load_rest(store, rows, on_progress=lambda n, t: progress.append((n, t)))
    assert len(rows.rows) == 2297 and rows.rows[-1].labels["city"] == "c2296"
    assert progress == [(2000, 2297), (2297, 2297)]  # each page after the first
    assert len(rec.requests) == 3
    await store.breakdown("cities", WEEK, limit=1000, offset=1000)  # pages are cached one by one
    assert len(rec.requests) == 3


def test_cache_peek_returns_without_loading() -> None:
    cache = TtlCache({})
    assert cache.peek(("overview", ())) is None
