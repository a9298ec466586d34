"""The app on the in-process demo, headless, for benchmarks that count requests or memory.

Both bench_startup (the requests of a scripted visit) and bench_memory (RSS after a tour of
every screen) need the same thing: a DataFastApp on the demo with no request budget in the
way, and a way to wait until every load a key started has ended.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

SETTLE_ROUNDS = 6


@asynccontextmanager
async def headless_demo(size: tuple[int, int] = (120, 36)) -> AsyncIterator[tuple[Any, Any, Callable[[], Awaitable[None]]]]:
    """(app, pilot, settle): settle() waits until the loads started so far (and those they start) end."""
    from datafast_tui.api.ratelimit import RateLimiter
    from datafast_tui.app import DataFastApp
    from datafast_tui.cli import parse_settings
    from datafast_tui.store_factory import open_store

    async def store(connection):  # noqa: ANN001, ANN202
        return await open_store(connection, rate_limiter=RateLimiter(10_000, 60))

    with tempfile.TemporaryDirectory() as tmp:
        settings = parse_settings(["--demo", "--config", f"{tmp}/none.toml"], {})
        app = DataFastApp(settings, store_factory=store)
        async with app.run_test(size=size) as pilot:
            async def settle() -> None:
                for _ in range(SETTLE_ROUNDS):
                    # Each worker's own end, not wait_for_complete: a load the app cancels on
                    # purpose (a superseded query) must not stop the wait for the others.
                    await asyncio.gather(*(w.wait() for w in list(app.workers)), return_exceptions=True)
                    await pilot.pause()

            yield app, pilot, settle
