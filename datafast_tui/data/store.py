"""`AnalyticsStore`: the only thing screens talk to.

It wraps the API client with a cache (per-endpoint TTLs), request coalescing, stale-on-error,
invalidation after writes, and a connection status that the header shows. Plain asyncio,
no Textual: listeners are plain callables.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from datafast_tui.api.catalogue import MAX_LIMIT
from datafast_tui.api.client import DataFastClient
from datafast_tui.api.errors import (
    ConfigurationError,
    DataFastError,
    NetworkError,
    UnauthorizedError,
)
from datafast_tui.api.models import (
    Breakdown,
    DeletionResult,
    GoalCreated,
    Overview,
    Pagination,
    PaymentRecorded,
    SiteMetadata,
    Timeseries,
)
from datafast_tui.api.query import Query
from datafast_tui.api.responses import ServerBudget
from datafast_tui.data.cache import Result, TtlCache

if TYPE_CHECKING:  # the first screen needs none of them: imported by whoever asks (start-up time)
    from datafast_tui.api.funnels import FunnelDefinition, FunnelReport
    from datafast_tui.api.models_account import Website
    from datafast_tui.api.models_realtime import RealtimeCount, RealtimeMap
    from datafast_tui.api.models_visitor import Visitor
    from datafast_tui.api.people import PeoplePage, PeopleSearch
    from datafast_tui.api.writes import GoalDeletion, GoalRequest, PaymentDeletion, PaymentRequest

#: Seconds a value stays fresh, per kind. Realtime is polled; metadata hardly ever changes.
DEFAULT_TTLS: dict[str, float] = {
    "metadata": 3600.0,
    "realtime": 2.0,
    "realtime_map": 2.0,
    "visitor": 30.0,
    "overview": 60.0,
    "timeseries": 60.0,
    "breakdown": 60.0,
    "people": 30.0,
    "funnels": 300.0,
    "funnel_report": 60.0,
}

NO_SITE_ID_FOR_FUNNELS = (
    "listing funnels needs the website's id, and a website key (df_…) does not say it: set website_id in "
    "this site's profile or DATAFAST_WEBSITE_ID (the id is in the dashboard's website settings; an account "
    "token lists it with w), or use an account token (dft_…) with funnels:read. A funnel whose id you know "
    "opens with o")

#: Kinds a write can change. Goals and payments feed every analytics number (a goal filter
#: narrows any endpoint; revenue is everywhere), so both clear all but the site metadata.
WRITE_INVALIDATES = ("realtime", "realtime_map", "visitor", "overview", "timeseries", "breakdown", "people", "funnel_report")


#: Kinds polled on their own schedule: their loads are not "loading…" in the header.
POLLED_KINDS = frozenset({"realtime", "realtime_map"})


@dataclass(frozen=True)
class ConnectionStatus:
    """What the header shows: ok, retrying, offline, error (server trouble) or unauthorized,
    and whether data is on its way (`loading`) or waits for the request budget."""

    state: str = "unknown"
    last_success: float | None = None  # wall clock of the last good response
    error: DataFastError | None = None
    attempt: int = 0  # retry number while retrying
    #: Loads in flight (polls of the live count and the realtime map not counted).
    loading: int = 0
    #: Wall clock until which the next request waits for the client's request budget.
    budget_wait_until: float | None = None

    def budget_wait(self, now: float | None = None) -> float | None:
        """Seconds the next request still waits for the budget (None: it is not waiting)."""
        if self.budget_wait_until is None:
            return None
        return max(0.0, self.budget_wait_until - (time.time() if now is None else now))

    def data_age(self, now: float | None = None) -> float | None:
        if self.last_success is None:
            return None
        return max(0.0, (time.time() if now is None else now) - self.last_success)


StatusListener = Callable[[ConnectionStatus], None]


def _key(query: Query | None, **extra: Any) -> tuple[tuple[str, str], ...]:
    """Canonical request parameters: two queries that send the same request share an entry."""
    params = dict(query.params()) if query is not None else {}
    params.update({k: str(v) for k, v in extra.items() if v is not None})
    return tuple(sorted(params.items()))


class AnalyticsStore:
    def __init__(self, client: DataFastClient, *, ttls: dict[str, float] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time, notices: tuple[str, ...] = (),
                 site_id: str | None = None, identity: str | None = None) -> None:
        self.client = client
        #: Names the data this store answers with (its kept answers' shelf): a store opened
        #: with the same identity (the live one after the kept copy) answers for the same site.
        self.identity = identity
        #: What this store falls back on when a load fails and it has nothing older (see fall_back_on).
        self.kept_copy: AnalyticsStore | None = None
        #: The website's id, which account routes name in their path (the funnel list): the
        #: profile's website_id, or the demo's own; None when unknown (a website key alone).
        self.site_id = site_id or client.website_id
        #: What the user should be told about this store once it is open (e.g. the demo's cache).
        self.notices = notices
        self.cache = TtlCache({**DEFAULT_TTLS, **(ttls or {})}, clock=clock, wall_clock=wall_clock)
        self._wall = wall_clock
        self.status = ConnectionStatus()
        self._listeners: list[StatusListener] = []
        self._loading = 0
        client.on_retry = self._on_retry
        client.rate_limiter.on_wait = self._on_budget_wait

    def same_data_as(self, other: AnalyticsStore) -> bool:
        """Whether `other` answers for the same site and key: numbers of one may stay on screen
        until the other's land (the kept copy painted at start, then the live store)."""
        return other is self or (self.identity is not None and other.identity == self.identity)

    # -- status -------------------------------------------------------------------------

    def budget_room(self) -> int:
        """Requests that may still start in the client's rate-limit window without waiting."""
        limiter = self.client.rate_limiter
        return max(0, limiter.max_requests - limiter.used)

    @property
    def requests_sent(self) -> int:
        """HTTP requests the client has sent (retries included)."""
        return self.client.requests_sent

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        """Call `listener` on every status change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _set_status(self, status: ConnectionStatus) -> None:
        if status == self.status:
            return
        self.status = status
        for listener in list(self._listeners):
            listener(status)

    def _on_retry(self, attempt: int, delay: float, error: DataFastError) -> None:
        self._set_status(replace(self.status, state="retrying", error=error, attempt=attempt))

    def _on_success(self) -> None:
        self._set_status(replace(self.status, state="ok", last_success=self._wall(), error=None, attempt=0))

    def _on_budget_wait(self, seconds: float) -> None:
        self._set_status(replace(self.status, budget_wait_until=self._wall() + seconds if seconds > 0 else None))

    def _count_load(self, step: int) -> None:
        self._loading += step
        self._set_status(replace(self.status, loading=max(0, self._loading)))

    def _on_failure(self, error: DataFastError) -> None:
        if isinstance(error, UnauthorizedError):
            state = "unauthorized"
        elif isinstance(error, NetworkError):
            state = "offline"
        elif isinstance(error, ConfigurationError) or (error.status is not None and
                                                       (error.status >= 500 or error.status == 429)):
            state = "error"  # a ConfigurationError: nothing can be sent (an account token without a website)
        else:
            return  # a 400 or 404 is about the request, not the connection
        self._set_status(replace(self.status, state=state, error=error, attempt=0))

    async def _fetch(self, kind: str, params: Any, load: Callable[[], Any], refresh: bool,
                     kept: Callable[[AnalyticsStore], Awaitable[Result[Any]]] | None = None) -> Result[Any]:
        """`kept(store)` asks the kept copy the same question, should this load fail."""
        counted = kind not in POLLED_KINDS

        async def tracked() -> Any:
            if counted:
                self._count_load(1)
            try:
                value = await load()
            except DataFastError as error:
                self._on_failure(error)
                raise
            finally:
                if counted:
                    self._count_load(-1)
            self._on_success()
            return value

        try:
            return await self.cache.get((kind, params), tracked, refresh=refresh)
        except DataFastError as error:
            if kept is None or self.kept_copy is None:
                raise
            try:
                copy = await kept(self.kept_copy)
            except DataFastError:
                raise error from None
            return Result(copy.value, copy.fetched_at, error)

    # -- reads ----------------------------------------------------------------------------

    async def metadata(self, *, refresh: bool = False) -> Result[SiteMetadata]:
        return await self._fetch("metadata", (), self.client.metadata, refresh, kept=lambda s: s.metadata())

    async def overview(self, query: Query, *, fields: Sequence[str] | None = None,
                       refresh: bool = False) -> Result[Overview]:
        key = _key(query, fields=",".join(fields) if fields else None)
        return await self._fetch("overview", key, lambda: self.client.overview(query, fields=fields), refresh,
                                 kept=lambda s: s.overview(query, fields=fields))

    async def timeseries(self, query: Query, *, fields: Sequence[str], interval: str,
                         refresh: bool = False) -> Result[Timeseries]:
        """Every point of the series: pages past the first are fetched concurrently and joined."""
        key = _key(query, fields=",".join(fields), interval=interval)
        return await self._fetch("timeseries", key, lambda: self._all_points(query, fields, interval), refresh,
                                 kept=lambda s: s.timeseries(query, fields=fields, interval=interval))

    async def _all_points(self, query: Query, fields: Sequence[str], interval: str) -> Timeseries:
        first = await self.client.timeseries(query, fields=fields, interval=interval, limit=MAX_LIMIT)
        points, last = first.points, first
        # A total gives every page at once; a hasMore-style one only the next (see Pagination).
        while last.points and len(points) < last.pagination.total:
            rest = await asyncio.gather(*(
                self.client.timeseries(query, fields=fields, interval=interval, limit=MAX_LIMIT, offset=offset)
                for offset in range(len(points), last.pagination.total, MAX_LIMIT)
            ))
            points += tuple(p for page in rest for p in page.points)
            last = rest[-1]
            if len(last.points) < MAX_LIMIT:
                break  # a short page is the last one
        if points is first.points:
            return first
        return replace(first, points=points, pagination=Pagination(len(points), 0, len(points)))

    @property
    def server_budget(self) -> ServerBudget | None:
        """What the server's rate-limit headers said last (None when it sends none)."""
        return self.client.server_budget

    @property
    def is_account_token(self) -> bool:
        """Whether the key is an account token (dft_…), which names a website per request."""
        return self.client.is_account_token

    async def websites(self, *, refresh: bool = False) -> Result[tuple[Website, ...]]:
        """The account's websites (account tokens only)."""
        return await self._fetch("websites", (), self.client.websites, refresh)

    async def realtime(self, *, refresh: bool = False) -> Result[RealtimeCount]:
        return await self._fetch("realtime", (), self.client.realtime, refresh)

    async def realtime_map(self, *, refresh: bool = False) -> Result[RealtimeMap]:
        return await self._fetch("realtime_map", (), self.client.realtime_map, refresh)

    async def breakdown(self, endpoint: str, query: Query, *, limit: int = 100, offset: int = 0,
                        refresh: bool = False) -> Result[Breakdown]:
        key = (endpoint, _key(query, limit=limit, offset=offset))
        return await self._fetch(
            "breakdown", key,
            lambda: self.client.breakdown(endpoint, query, limit=limit, offset=offset), refresh,
            kept=lambda s: s.breakdown(endpoint, query, limit=limit, offset=offset),
        )

    async def visitor(self, visitor_id: str, *, refresh: bool = False) -> Result[Visitor]:
        return await self._fetch("visitor", visitor_id.strip(), lambda: self.client.visitor(visitor_id), refresh)

    async def people(self, search: PeopleSearch, *, limit: int | None = None, offset: int = 0,
                     refresh: bool = False) -> Result[PeoplePage]:
        key = (_key(search.query), search.customer, limit, offset)
        return await self._fetch("people", key, lambda: self.client.people(search, limit=limit, offset=offset),
                                 refresh)

    async def funnels(self, *, refresh: bool = False) -> Result[tuple[FunnelDefinition, ...]]:
        """The site's funnels; ConfigurationError when the website's id is not known."""
        site = self.site_id
        if site is None:
            raise ConfigurationError(NO_SITE_ID_FOR_FUNNELS)
        return await self._fetch("funnels", site, lambda: self.client.funnels(site), refresh)

    async def funnel_report(self, funnel_id: str, query: Query, *, refresh: bool = False) -> Result[FunnelReport]:
        key = (funnel_id.strip(), _key(query))
        return await self._fetch("funnel_report", key, lambda: self.client.funnel_report(funnel_id, query), refresh)

    # -- writes ---------------------------------------------------------------------------

    async def _write(self, call: Callable[[], Any]) -> Any:
        try:
            return await call()
        except DataFastError as error:
            self._on_failure(error)
            raise
        finally:
            # Invalidate even after a failure: a timed-out write may still have landed.
            self.cache.invalidate(WRITE_INVALIDATES)

    async def create_goal(self, goal: GoalRequest) -> GoalCreated:
        return await self._write(lambda: self.client.create_goal(goal))

    async def create_payment(self, payment: PaymentRequest) -> PaymentRecorded:
        return await self._write(lambda: self.client.create_payment(payment))

    async def delete_goals(self, scope: GoalDeletion) -> DeletionResult:
        return await self._write(lambda: self.client.delete_goals(scope))

    async def delete_payments(self, scope: PaymentDeletion) -> DeletionResult:
        return await self._write(lambda: self.client.delete_payments(scope))

    def invalidate(self, kinds: Sequence[str] | None = None) -> None:
        self.cache.invalidate(kinds)

    def fall_back_on(self, kept: AnalyticsStore) -> None:
        """Answer from `kept` (the answers kept from the last run) what this store cannot get:
        an unreachable site still shows its last numbers, marked stale with their age."""
        self.kept_copy = kept
        if self.status.last_success is None:
            self._set_status(replace(self.status, last_success=kept.status.last_success))

    async def aclose(self) -> None:
        if self.kept_copy is not None:
            await self.kept_copy.aclose()
        await self.client.aclose()
