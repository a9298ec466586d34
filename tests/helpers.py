"""Helpers shared by the tests: a DataFastClient over an httpx.MockTransport that records requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from datafast_tui.api.client import DataFastClient, RetryPolicy
from datafast_tui.api.ratelimit import RateLimiter

DOCS = Path(__file__).parent / "fixtures" / "docs"
SECRET_KEY = "df_test_SECRET_key_0123456789"


def docs_example(name: str) -> dict[str, Any]:
    """The docs' example response for an endpoint (see tests/fixtures/docs/README.md)."""
    return json.loads((DOCS / f"{name}.json").read_text(encoding="utf-8"))


class Recorder:
    """A MockTransport handler that records requests and answers from a function or a queue."""

    def __init__(self, respond: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.queue: list[httpx.Response | Exception] = []
        self.respond = respond

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.queue:
            item = self.queue.pop(0)
            if isinstance(item, Exception):
                raise item
            return item
        if self.respond is not None:
            return self.respond(request)
        return httpx.Response(200, json={"status": "success", "data": [{"visitors": 1}]})

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


class FakeSleep:
    """An asyncio.sleep stand-in that records delays and returns at once, moving its own clock."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        self.now += delay


def make_client(recorder: Recorder | Callable[[httpx.Request], Any], *, sleep: FakeSleep | None = None, max_attempts: int = 4,
                limiter: RateLimiter | None = None, key: str = SECRET_KEY,
                website_id: str | None = None) -> DataFastClient:
    sleep = sleep or FakeSleep()
    return DataFastClient(
        key,
        transport=httpx.MockTransport(recorder),
        retry=RetryPolicy(max_attempts=max_attempts),
        # The limiter runs on the fake sleep's clock too, so a 429's hold costs no real time.
        rate_limiter=limiter or RateLimiter(1000, 60, clock=sleep.clock, sleep=sleep),
        sleep=sleep,
        rand=lambda: 1.0,  # jitter at its maximum: delays are exact in assertions
        website_id=website_id,
    )


def ok(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=payload, headers=headers)


def error(status: int, message: str, headers: dict[str, str] | None = None) -> httpx.Response:
    body = {"status": "error", "error": {"code": status, "message": message}}
    return httpx.Response(status, json=body, headers=headers)
