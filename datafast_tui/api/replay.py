"""Answers kept from earlier runs, replayed through httpx so the client reads them unchanged.

The app paints the last known numbers at once from an on-disk copy of earlier answers
(data/answer_shelf.py), while the live API is still being reached: stale-while-revalidate.
Replaying them as HTTP answers through the real client means the very same request
building, parsing and store code runs on them, so a cached number is exactly what that
request answered last time, never a second reading of it.

Which answers are kept: the analytics GETs a screen paints first (metadata, overview,
timeseries, the breakdowns). Realtime answers are out of date within seconds; visitor
profiles and the visitors list name people, so they never go to the disk.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from contextvars import ContextVar
from urllib.parse import urlencode

import httpx

#: Paths (after the base URL) whose GET answers are kept.
_KEPT = re.compile(r"analytics/(?!realtime|visitors)[a-z_/-]{1,40}")


#: When the answer just replayed was fetched from the site (wall clock), for whoever awaited
#: it in this task: the store dates what it caches by it, not by the replay.
KEPT_AT: ContextVar[float | None] = ContextVar("kept_at", default=None)


def answer_key(url: httpx.URL, base_url: httpx.URL) -> str | None:
    """The key of the answer to a GET of `url`: its path below `base_url` and its query
    parameters in a canonical order; None for a request whose answer is not kept."""
    base = base_url.raw_path.decode("ascii", "replace").split("?")[0].rstrip("/") + "/"
    path = url.raw_path.decode("ascii", "replace").split("?")[0]
    if not path.startswith(base):
        return None
    path = path[len(base):]
    if not _KEPT.fullmatch(path):
        return None
    params = sorted(url.params.multi_items())
    return f"{path}?{urlencode(params)}" if params else path


class ReplayTransport(httpx.AsyncBaseTransport):
    """Answers GETs from kept bodies. A request with no kept answer waits until the transport
    closes (the live store replacing this one closes it): its part of the screen stays
    "loading" rather than showing an error about a cache. Any other method is refused."""

    def __init__(self, lookup: Callable[[str], tuple[str, float] | None], base_url: str) -> None:
        self._lookup = lookup
        self._base = httpx.URL(base_url)
        self._closed = asyncio.Event()
        #: Wall-clock time of the oldest answer replayed (the header shows its age).
        self.oldest_served: float | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "GET":
            raise httpx.ConnectError("not connected yet: only kept answers are shown", request=request)
        key = answer_key(request.url, self._base)
        kept = self._lookup(key) if key is not None else None
        if kept is None:
            await self._closed.wait()
            raise httpx.ConnectError("no answer kept for this request", request=request)
        body, fetched_at = kept
        KEPT_AT.set(fetched_at)
        if self.oldest_served is None or fetched_at < self.oldest_served:
            self.oldest_served = fetched_at
        return httpx.Response(200, headers={"content-type": "application/json"},
                              content=body.encode("utf-8"), request=request)

    def stop_waiting(self) -> None:
        """From now on a request with no kept answer fails at once (the live store asks only
        after its own request failed: it wants the kept answer or none, not a wait)."""
        self._closed.set()

    async def aclose(self) -> None:
        self.stop_waiting()
