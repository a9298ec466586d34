"""A TTL cache whose identical concurrent loads share one request, and which serves stale on error.

Kept free of anything DataFast-specific so its rules (expiry, coalescing, stale-on-error,
invalidation racing an in-flight load, dropping a load nobody waits for) are tested on their
own; `store.py` builds on it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from datafast_tui.api.errors import DataFastError
from datafast_tui.api.ratelimit import ON_SLOT_TAKEN

T = TypeVar("T")

#: A cache key: (kind, canonical parameters). `kind` is what TTLs and invalidation go by.
Key = tuple[str, Hashable]


@dataclass(frozen=True)
class Result(Generic[T]):
    """A value and where it stands: when it was fetched and, when stale, why it is not fresh."""

    value: T
    fetched_at: float  # wall-clock seconds (time.time())
    error: DataFastError | None = None  # the failure that kept us from refreshing it

    @property
    def stale(self) -> bool:
        return self.error is not None

    def age(self, now: float | None = None) -> float:
        return max(0.0, (time.time() if now is None else now) - self.fetched_at)


@dataclass
class _Entry:
    value: Any
    fetched_at: float  # wall clock, for people
    loaded_at: float  # monotonic, for expiry


@dataclass
class _Loading:
    """A load in flight, the callers waiting for it, and whether it has taken a request slot."""

    task: asyncio.Task[Any] = None  # type: ignore[assignment]  # set right after creation
    waiters: int = 0
    sent: bool = False


class TtlCache:
    def __init__(self, ttls: dict[str, float], *, default_ttl: float = 60.0,
                 clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self.ttls = dict(ttls)
        self.default_ttl = default_ttl
        self._clock = clock
        self._wall = wall_clock
        self._entries: dict[Key, _Entry] = {}
        self._inflight: dict[Key, _Loading] = {}
        self._generation: dict[str, int] = {}
        #: Loads started (cache misses and refreshes), per kind.
        self.loads: dict[str, int] = {}

    def _fresh(self, key: Key, entry: _Entry) -> bool:
        return self._clock() - entry.loaded_at < self.ttls.get(key[0], self.default_ttl)

    def peek(self, key: Key) -> Result[Any] | None:
        """The cached value without loading (fresh or not), e.g. to paint before a refresh."""
        entry = self._entries.get(key)
        return None if entry is None else Result(entry.value, entry.fetched_at)

    async def get(self, key: Key, load: Callable[[], Awaitable[T]], *, refresh: bool = False) -> Result[T]:
        """The value for `key`: from the cache when fresh, else loaded once for all concurrent callers.

        When a load fails and an older value exists, that value comes back with the error
        attached (stale-on-error); with nothing to fall back on, the error is raised.
        """
        entry = self._entries.get(key)
        if entry is not None and not refresh and self._fresh(key, entry):
            return Result(entry.value, entry.fetched_at)
        loading = self._inflight.get(key)
        if loading is None:
            loading = _Loading()
            loading.task = asyncio.ensure_future(self._load(key, load, loading))
            loading.task.add_done_callback(lambda _, k=key, ld=loading: self._forget(k, ld))
            self._inflight[key] = loading
        loading.waiters += 1
        try:
            # shield: a caller cancelled (a screen switched away) must not cancel the
            # load other callers are waiting for...
            value = await asyncio.shield(loading.task)
        except asyncio.CancelledError:
            # ...but a load that nobody waits for any more, and that still waits for its
            # request slot, is dropped: it would spend the budget on an answer nobody reads,
            # ahead of the requests the screen now needs.
            if loading.waiters <= 1 and not loading.sent and not loading.task.done():
                loading.task.cancel()
                self._forget(key, loading)  # a caller coming now starts a load of its own
            raise
        except DataFastError as error:
            entry = self._entries.get(key)
            if entry is None:
                raise
            return Result(entry.value, entry.fetched_at, error)
        finally:
            loading.waiters -= 1
        entry = self._entries.get(key)
        fetched = entry.fetched_at if entry is not None and entry.value is value else self._wall()
        return Result(value, fetched)

    @property
    def in_flight(self) -> dict[str, int]:
        """Loads in flight per kind (the header says "loading…" while there are some)."""
        counts: dict[str, int] = {}
        for kind, _ in self._inflight:
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    async def _load(self, key: Key, load: Callable[[], Awaitable[T]], loading: _Loading) -> T:
        kind = key[0]
        self.loads[kind] = self.loads.get(kind, 0) + 1
        generation = self._generation.get(kind, 0)

        def slot_taken() -> None:
            loading.sent = True

        ON_SLOT_TAKEN.set(slot_taken)  # this task's own context: only its requests call it
        value = await load()
        # A write that invalidated this kind while we were loading makes our answer suspect:
        # hand it to the callers who asked, but do not keep it.
        if self._generation.get(kind, 0) == generation:
            self._entries[key] = _Entry(value, self._wall(), self._clock())
        return value

    def _forget(self, key: Key, loading: _Loading) -> None:
        if self._inflight.get(key) is loading:
            del self._inflight[key]
        if loading.task.done() and not loading.task.cancelled():
            loading.task.exception()  # mark retrieved: a failure nobody awaited is not an asyncio warning

    def invalidate(self, kinds: Iterable[str] | None = None) -> None:
        """Drop cached values of these kinds (all kinds when None); later gets load again."""
        wanted = None if kinds is None else set(kinds)
        for key in [k for k in self._entries if wanted is None or k[0] in wanted]:
            del self._entries[key]
        for key in [k for k in self._inflight if wanted is None or k[0] in wanted]:
            del self._inflight[key]
        # Every kind ever loaded is in self.loads, including the ones loading right now.
        for kind in wanted if wanted is not None else set(self.loads):
            self._generation[kind] = self._generation.get(kind, 0) + 1
