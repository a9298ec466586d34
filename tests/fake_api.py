"""The shared fake DataFast API of the UI tests: the docs' example answers over an httpx.MockTransport.

`docs_answer` answers any read with the docs' example of its endpoint; a test that needs
something else answers its own paths first and hands the rest to it. `store_over` turns a
handler into the store factory the app takes (`make_app(store_factory=...)`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

from datafast_tui.api.client import DataFastClient, RetryPolicy
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.settings import Connection
from tests.helpers import FakeSleep, docs_example, ok

#: The key every fake-API store is opened with (one of the keys the leak check looks for).
FAKE_KEY = "df_live_SECRET"

Handler = Callable[[httpx.Request], httpx.Response]
StoreFactory = Callable[[Connection], Awaitable[AnalyticsStore]]


def docs_answer(request: httpx.Request) -> httpx.Response:
    """The docs' example response of the endpoint asked (visitors/<id>: the docs' visitor)."""
    path = request.url.path
    if path.startswith("/api/v1/visitors/"):
        return ok(docs_example("visitor"))
    name = path.removeprefix("/api/v1/analytics/").replace("realtime/map", "realtime_map")
    return ok(docs_example(name))


def store_over(handler: Handler, *, max_attempts: int = 2) -> StoreFactory:
    """A store factory whose client talks to `handler`: no network, retries without waiting."""

    async def factory(connection: Connection) -> AnalyticsStore:
        client = DataFastClient(FAKE_KEY, transport=httpx.MockTransport(handler),
                                retry=RetryPolicy(max_attempts=max_attempts), rate_limiter=RateLimiter(10_000, 60),
                                sleep=FakeSleep())
        return AnalyticsStore(client)

    return factory
