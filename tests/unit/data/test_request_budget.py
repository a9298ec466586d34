"""Requests nobody waits for are dropped before they are sent; waiting for the budget is told.

The scene of issue 13: the client's own rate limit has run dry, a load's requests wait for
their slots, and the user moves on. Those requests must leave the queue (the budget then
goes to what the screen needs now), while a request already on its way is kept for its
answer, and the store tells the header what it is doing.
"""

from __future__ import annotations

import asyncio

import httpx

from datafast_tui.api.query import Query
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.data.store import AnalyticsStore
from tests.helpers import Recorder, make_client, ok

QUERY = Query()
OTHER = Query(compare=False, timezone="UTC")


def overview_answer(request: httpx.Request) -> httpx.Response:
    return ok({"status": "success", "data": [{"visitors": 1, "sessions": 1}]})


async def test_a_load_nobody_waits_for_leaves_the_queue_before_it_is_sent() -> None:
    limiter = RateLimiter(1, 60)  # one request a minute: the second waits
    recorder = Recorder(overview_answer)
    store = AnalyticsStore(make_client(recorder, limiter=limiter))
    await store.overview(QUERY)  # takes the only slot
    assert len(recorder.requests) == 1
    waiting = asyncio.ensure_future(store.overview(OTHER))
    await asyncio.sleep(0.05)
    assert store.status.budget_wait_until is not None and store.status.loading == 1
    waiting.cancel()  # the screen moved on
    await asyncio.sleep(0.05)
    assert len(recorder.requests) == 1  # never sent
    assert store.cache.in_flight == {} and store.status.loading == 0
    assert store.status.budget_wait_until is None
    assert limiter.used == 1  # and it took no slot


async def test_a_load_someone_still_waits_for_is_kept() -> None:
    limiter = RateLimiter(1, 0.2)
    recorder = Recorder(overview_answer)
    store = AnalyticsStore(make_client(recorder, limiter=limiter))
    await store.overview(QUERY)
    first = asyncio.ensure_future(store.overview(OTHER))
    second = asyncio.ensure_future(store.overview(OTHER))
    await asyncio.sleep(0.02)
    first.cancel()
    result = await second  # the other caller still gets its answer, from one request
    assert result.value.visitors == 1 and len(recorder.requests) == 2


async def test_a_request_on_its_way_is_not_dropped() -> None:
    started, release = asyncio.Event(), asyncio.Event()

    class Slow(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.sent = 0

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            self.sent += 1
            started.set()
            await release.wait()
            return overview_answer(request)

    transport = Slow()
    store = AnalyticsStore(make_client(Recorder(overview_answer)))
    store.client._http._transport = transport  # noqa: SLF001 - a transport that holds the answer
    caller = asyncio.ensure_future(store.overview(QUERY))
    await started.wait()
    caller.cancel()
    await asyncio.sleep(0.01)
    release.set()
    await asyncio.sleep(0.05)
    # The answer came and is kept: asking again costs nothing.
    assert (await store.overview(QUERY)).value.visitors == 1 and transport.sent == 1


async def test_loads_in_flight_are_counted_but_polls_of_the_live_count_are_not() -> None:
    gate = asyncio.Event()

    async def answer(request: httpx.Request) -> httpx.Response:
        await gate.wait()
        if request.url.path.endswith("/realtime"):
            return ok({"status": "success", "data": [{"visitors": 3}]})
        return overview_answer(request)

    class Held(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            return await answer(request)

    store = AnalyticsStore(make_client(Recorder(overview_answer)))
    store.client._http._transport = Held()  # noqa: SLF001
    seen: list[int] = []
    store.subscribe(lambda status: seen.append(status.loading))
    jobs = [asyncio.ensure_future(store.overview(QUERY)), asyncio.ensure_future(store.realtime())]
    await asyncio.sleep(0.02)
    assert store.status.loading == 1  # the overview; the live count is not "loading…"
    gate.set()
    await asyncio.gather(*jobs)
    assert store.status.loading == 0 and max(seen) == 1
