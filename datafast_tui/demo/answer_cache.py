"""The demo API's finished answers, kept so that a repeated GET costs no SQL (issue 17).

A shared `serve-demo` gets the same few questions from every client of a workshop or a CI
run; computing each one is tens of milliseconds of SQL under the store's one lock. An
answer is kept under everything it depends on, so reusing it gives the very bytes a fresh
computation would:

- the request: method, path, query string exactly as sent (the order of the parameters can
  change an answer: the first of two values wins, an error names the first bad filter) and
  which credential was used (website key or account token);
- the store's version (database.py's `Snapshot.version`: every change to any row moves it,
  live traffic's included), so a write or a new live visit retires every older answer;
- the clock, as far as the endpoint reads it (its `ClockUse`, named next to its route): `DATA`
  answers (overview, breakdowns, funnels, ...) depend on the time only through which events
  exist yet, which the version already tells while the store is settled (no event after
  now); `MINUTE` answers (timeseries) also place their default window and buckets on the
  calendar, whose hours and days start on whole UTC minutes in every timezone in use;
  `INSTANT` answers (realtime windows, "time since", "last seen") change with every
  millisecond and are never kept.

What is not kept: writes, 5xx answers, answers computed while the store was not settled
(the clock was moved back, or an event is dated after now), answers of handlers that read
the store twice at different versions, and answers too big for a fair share of the budget.
The rate-limit headers and the fault plan are applied per request outside of it.
Concurrent requests for an answer being computed wait for that one computation.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from starlette.responses import Response

from datafast_tui.demo.database import Snapshot

MINUTE_MS = 60_000
MAX_ENTRIES = 1024
MAX_BYTES = 32 * 1024 * 1024


class ClockUse(Enum):
    """How an endpoint's answer depends on the clock, beside the data it reads."""

    DATA = "data"  # only through which events exist yet
    MINUTE = "minute"  # also through the calendar (default windows, buckets): constant within a UTC minute
    INSTANT = "instant"  # to the millisecond: never cached


#: Who asks: the request's method, path, raw query string, and whether it used the account token.
RequestKey = tuple[str, str, bytes, bool]


class Key(NamedTuple):
    version: int
    moment: int  # the minute for MINUTE answers, 0 for DATA ones
    request: RequestKey


def key_for(request: RequestKey, uses: ClockUse, snapshot: Snapshot) -> Key | None:
    """The key an answer computed at `snapshot` is kept under; None if it must not be kept."""
    if uses is ClockUse.INSTANT or not snapshot.settled:
        return None
    return Key(snapshot.version, snapshot.now_ms // MINUTE_MS if uses is ClockUse.MINUTE else 0, request)


def computed_key(request: RequestKey, uses: ClockUse, asked: Key | None, seen: Sequence[Snapshot]) -> Key | None:
    """Where to keep an answer, from the snapshots its handler's reads saw (`DemoDatabase.watch`).

    No read: the answer depends on neither the data nor the clock, so it is good under the
    key it was asked for. Reads that do not all map to one key (the data changed between
    them, or the minute turned) make an answer of no single moment: it is not kept.
    """
    if not seen:
        return asked
    keys = {key_for(request, uses, snapshot) for snapshot in seen}
    return keys.pop() if len(keys) == 1 else None


@dataclass(frozen=True, slots=True)
class Answer:
    """A finished answer: status, headers and body, as the endpoint sent them."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    @classmethod
    def of(cls, response: Response) -> Answer:
        return cls(response.status_code, tuple(response.raw_headers), bytes(response.body))

    def response(self) -> Response:
        """A fresh Response (its headers get this request's own rate-limit headers added)."""
        response = Response(self.body, status_code=self.status)
        response.raw_headers = list(self.headers)
        return response


class _Abandoned(Exception):
    """The request computing an answer was cancelled: its waiters compute their own."""


class AnswerCache:
    """A bounded LRU of answers (entries and bytes), safe to share between threads.

    Only the newest version is kept: versions never come back, so an older answer could
    never be asked for again and is dropped as soon as a newer one is stored.
    """

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[Key, Answer] = OrderedDict()
        self._bytes = 0
        self._version = -1
        self._lock = threading.Lock()
        # In-flight computations, with the loop whose future it is (apps can serve from several).
        self._flights: dict[Key, tuple[asyncio.AbstractEventLoop, asyncio.Future[Answer]]] = {}
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key) -> Answer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: Key, answer: Answer) -> None:
        size = len(answer.body)
        with self._lock:
            if key.version < self._version or size > self.max_bytes // 8:
                return  # stale already, or big enough to push out most of the others
            if key.version > self._version:
                self._entries.clear()
                self._bytes, self._version = 0, key.version
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = answer
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    async def shared(self, key: Key, compute: Callable[[], Awaitable[Answer]]) -> Answer:
        """`compute()`, unless the same key is being computed in this loop: then wait for that one."""
        loop = asyncio.get_running_loop()
        with self._lock:
            flight = self._flights.get(key)
            joined = flight is not None and flight[0] is loop
            if joined:
                future = flight[1]
            else:
                future = loop.create_future()
                self._flights[key] = (loop, future)
        if joined:
            try:
                return await asyncio.shield(future)
            except _Abandoned:
                return await compute()
        try:
            answer = await compute()
        except BaseException as exc:
            future.set_exception(exc if isinstance(exc, Exception) else _Abandoned())
            future.exception()  # retrieved: no "never retrieved" warning when nobody waited
            raise
        else:
            future.set_result(answer)
            return answer
        finally:
            with self._lock:
                if self._flights.get(key, (None, None))[1] is future:
                    del self._flights[key]
