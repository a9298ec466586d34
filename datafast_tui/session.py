"""Opening a store for a connection: the real API over HTTPS, or the demo API in-process.

The demo's first start generates its dataset (a few seconds), so it runs in a thread and the
UI stays responsive meanwhile. Later starts open the cached dataset.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

import httpx

from datafast_tui.api.client import DataFastClient
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.settings import Connection

DEMO_BASE_URL = "http://127.0.0.1/api/v1/"

StoreFactory = Callable[[Connection], Awaitable[AnalyticsStore]]


def demo_transport(*, seed: int | None = None, clock: Callable[[], datetime] | None = None) -> httpx.ASGITransport:
    """An in-process transport to a fresh demo API (blocking: builds or opens the dataset)."""
    from datafast_tui.demo import DEFAULT_SEED, build_demo_app

    app = build_demo_app(seed=DEFAULT_SEED if seed is None else seed, clock=clock)
    return httpx.ASGITransport(app=app)


async def open_store(connection: Connection, *, demo_seed: int | None = None,
                     demo_clock: Callable[[], datetime] | None = None) -> AnalyticsStore:
    """A store for `connection`. Raises ConfigurationError for an unusable base URL or key."""
    if connection.demo:
        from datafast_tui.demo import DEMO_API_KEY

        transport = await asyncio.to_thread(demo_transport, seed=demo_seed, clock=demo_clock)
        client = DataFastClient(DEMO_API_KEY, base_url=DEMO_BASE_URL, transport=transport)
    else:
        assert connection.api_key is not None
        client = DataFastClient(connection.api_key, base_url=connection.base_url)
    return AnalyticsStore(client)
