"""`DataFastClient`: one async method per DataFast API endpoint.

It owns the HTTP details the rest of the app should never see: Bearer auth, timeouts,
retries with backoff for idempotent requests, the client-side rate limit, turning error
envelopes into typed exceptions, and keeping the API key out of every message.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import httpx

from datafast_tui import __version__
from datafast_tui.api.bounded_read import MAX_RESPONSE_BYTES, read_bounded
from datafast_tui.api.catalogue import (
    BREAKDOWN_ENDPOINTS,
    DEFAULT_BASE_URL,
    INTERVALS,
    MAX_LIMIT,
)
from datafast_tui.api.errors import (
    ApiTimeoutError,
    ConfigurationError,
    DataFastError,
    MalformedResponseError,
    NetworkError,
    QueryError,
    RateLimitedError,
    RedirectedError,
    ResponseTooLargeError,
)
from datafast_tui.api.models import (
    Breakdown,
    DeletionResult,
    GoalCreated,
    Overview,
    PaymentRecorded,
    SiteMetadata,
    Timeseries,
)
from datafast_tui.api.no_cookies import NoCookieClient
from datafast_tui.api.query import Query
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.api.responses import (
    ServerBudget,
    body_or_error,
    error_from_response,
    json_or_none,
    plain_text,
    retry_after_seconds,
    server_budget,
)

if TYPE_CHECKING:  # imported where used: the first screen needs none of them (start-up time)
    from datafast_tui.api.funnels import FunnelDefinition, FunnelReport
    from datafast_tui.api.models_account import Website
    from datafast_tui.api.models_realtime import ParseMemo, RealtimeCount, RealtimeMap
    from datafast_tui.api.models_visitor import Visitor
    from datafast_tui.api.people import PeoplePage, PeopleSearch
    from datafast_tui.api.writes import GoalDeletion, GoalRequest, PaymentDeletion, PaymentRequest

log = logging.getLogger("datafast_tui.api")

#: The longest a "0 remaining" header holds requests back (a reset far off is a server's mistake).
MAX_BUDGET_HOLD = 60.0
#: Account tokens start so; website keys start with `df_`.
ACCOUNT_TOKEN_PREFIX = "dft_"
#: Routes of the Account API (under /api/v1/admin), which take no `websiteId` query.
ACCOUNT_ROUTES = ("admin/",)
NO_WEBSITE_MESSAGE = (
    "this is an account token (dft_…), which works for several websites, so every request must name "
    "one (websiteId). Press w to pick one of the account's websites, or set website_id in the "
    "profile (or DATAFAST_WEBSITE_ID); a website key (df_…) names its site by itself"
)


#: Seconds an idle connection is kept for the next request: longer than Realtime's usual intervals.
KEEPALIVE_SECONDS = 120.0
#: Statuses worth another try for an idempotent request.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
#: Transport failures that prove the request never left this machine (safe to retry a write).
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# How httpx 0.28 (pinned) says a redirect's Location is not a URL; it raises even when not following.
_BAD_LOCATION = "Invalid URL in location header"

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    #: A server asking us to wait longer than this gets an error instead of a frozen screen.
    max_server_wait: float = 60.0

    def backoff(self, attempt: int, rand: Callable[[], float]) -> float:
        """Capped exponential backoff with jitter: between half and all of base*2^attempt."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** attempt))
        return ceiling * (0.5 + rand() / 2)


RetryCallback = Callable[[int, float, DataFastError], None]


def check_base_url(url: str) -> str:
    """The base URL with a trailing slash; refuses anything but HTTPS, or HTTP on loopback."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise ConfigurationError(f"base URL {url!r} is not a URL") from None
    host = parsed.host
    if parsed.scheme not in ("http", "https") or not host:
        raise ConfigurationError(f"base URL {url!r} must start with https://")
    if parsed.scheme == "http" and not _is_loopback(host):
        raise ConfigurationError(
            f"base URL {url!r} uses plain http; the API key would travel unencrypted. "
            "Use https://, or http:// only for a loopback address such as 127.0.0.1"
        )
    text = str(parsed)
    return text if text.endswith("/") else text + "/"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class DataFastClient:
    """Async client for the DataFast v1 API. Use it as `async with DataFastClient(key) as c:`."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        on_retry: RetryCallback | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        website_id: str | None = None,
    ) -> None:
        if not api_key or not api_key.strip():
            raise ConfigurationError("the API key is empty")
        self._key = api_key.strip()
        #: With an account token (dft_…), the website every website route is asked about.
        self.website_id = (website_id or "").strip() or None
        self.base_url = check_base_url(base_url)
        self.retry = retry or RetryPolicy()
        self.rate_limiter = rate_limiter or RateLimiter()
        self.on_retry = on_retry
        self._sleep = sleep
        self._rand = rand
        self.timeout = timeout
        #: HTTP requests actually sent (every attempt counts); tests and benchmarks read it.
        self.requests_sent = 0
        #: What the last answer's X-RateLimit-* headers said (None until one had them).
        self.server_budget: ServerBudget | None = None
        #: The last realtime map's items, so that a poll parses only what is new (see ParseMemo).
        self._realtime_memo: ParseMemo | None = None  # made with the first poll (its module loads late)
        #: Told of every good GET answer (request, decoded body): the answers kept on disk.
        self.on_answer: Callable[[httpx.Request, bytes], None] | None = None
        self._http = NoCookieClient(
            base_url=self.base_url,
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            # httpx drops an idle connection after 5 s, exactly Realtime's default interval: every
            # poll then paid a new TCP and TLS handshake. A connection the server closed sooner is
            # noticed by httpcore before reuse, so keeping ours longer costs nothing.
            limits=httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS),
            headers={
                "Authorization": f"Bearer {self._key}",
                "Accept": "application/json",
                "User-Agent": f"datafast-tui/{__version__}",
            },
            follow_redirects=False,  # a redirect could carry the Authorization header elsewhere
        )
        self._base = str(self._http.base_url)  # with its trailing slash: httpx adds one

    def __repr__(self) -> str:
        return f"DataFastClient(base_url={self.base_url!r}, api_key='***')"

    async def __aenter__(self) -> DataFastClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def redact(self, text: str) -> str:
        """`text` with the API key blanked out (servers may echo what they were sent)."""
        return text.replace(self._key, "***") if self._key in text else text

    # -- the request loop ---------------------------------------------------------------

    @property
    def is_account_token(self) -> bool:
        """An account token (`dft_…`) rather than a website key (`df_…`)."""
        return self._key.startswith(ACCOUNT_TOKEN_PREFIX)

    def _website_params(self, path: str, params: dict[str, str] | None) -> dict[str, str] | None:
        """`params` with `websiteId` for a website route, which an account token must name.

        A website key (`df_…`) names its site itself: the pages say to omit `websiteId` with
        one, so a website_id set beside a website key only names the site in account routes'
        paths (the funnel list).
        """
        if path.startswith(ACCOUNT_ROUTES) or not self.is_account_token:
            return params
        if self.website_id is None:
            raise ConfigurationError(NO_WEBSITE_MESSAGE)
        return {**(params or {}), "websiteId": self.website_id}

    async def _request(self, method: str, path: str, *, params: dict[str, str] | None = None,
                       json: Any = None) -> dict[str, Any]:
        params = self._website_params(path, params)
        idempotent = method == "GET"
        what = f"{method} {path}"
        attempt = 0
        while True:
            await self.rate_limiter.acquire()
            error, server_wait, started = None, None, time.perf_counter()
            self.requests_sent += 1
            try:
                # An overall deadline too: httpx's own timeouts do not apply to every
                # transport (the in-process demo's ASGI transport has none).
                async with asyncio.timeout(self.timeout + 1.0):
                    response = await self._send(method, path, params=params, json=json, what=what)
            except ResponseTooLargeError as exc:
                log.debug("%s -> %s, over %d bytes, not read, in %.0f ms", what, exc.status,
                          MAX_RESPONSE_BYTES, (time.perf_counter() - started) * 1000)
                error, retryable = exc, False  # the server would send it again
            except httpx.DecodingError:
                # A compressed body that does not decompress: like a body cut short.
                error = MalformedResponseError("the response body could not be decompressed",
                                               request=what, transient=True)
                retryable = idempotent
            except (httpx.TimeoutException, TimeoutError) as exc:
                error = ApiTimeoutError(f"no answer within {self.timeout:g} s", request=what)
                retryable = idempotent or isinstance(exc, _NOT_SENT)
            except (httpx.TransportError, OSError) as exc:
                if isinstance(exc, httpx.RemoteProtocolError) and str(exc).startswith(_BAD_LOCATION):
                    # httpx reads Location even when not following it. One it cannot read is
                    # still a redirect away from here, which another try would not change.
                    error, retryable = _redirected("an address that is not a URL", None, what), False
                else:
                    # OSError: a transport that fails below httpx (a reset socket in-process).
                    reason = self.redact(str(exc)) or type(exc).__name__
                    error = NetworkError(f"cannot reach {self._http.base_url.netloc.decode()} ({reason})",
                                         request=what)
                    retryable = idempotent or isinstance(exc, _NOT_SENT)
            else:
                log.debug("%s -> %s in %.0f ms", what, response.status_code,
                          (time.perf_counter() - started) * 1000)
                self._note_budget(response)
                redirect = self._redirect_elsewhere(response, what)
                if redirect is not None:
                    error, retryable = redirect, False  # it would redirect again
                elif response.status_code not in RETRY_STATUSES:
                    try:
                        body = self._checked(body_or_error, response, what)
                    except MalformedResponseError as exc:
                        # A body that is not JSON at all (cut short, a proxy's HTML page) is a
                        # transport accident like a reset: worth another try for a GET. JSON
                        # refused for its depth or numbers is not (the server would send it again).
                        error, retryable = exc, idempotent and exc.transient
                    else:
                        if self.on_answer is not None and idempotent and response.status_code == 200:
                            self.on_answer(response.request, response.content)
                        return body
                else:
                    # The body too: a 429 or 503 in the error envelope says why in its own words.
                    error = self._checked(error_from_response, response, json_or_none(response), what)
                    server_wait = retry_after_seconds(response)
                    retryable = idempotent
            attempt += 1
            if not retryable or attempt >= self.retry.max_attempts:
                raise error
            delay = self.retry.backoff(attempt - 1, self._rand)
            if server_wait is not None:
                if server_wait > self.retry.max_server_wait:
                    raise error
                delay = max(delay, server_wait)
            if isinstance(error, RateLimitedError):
                self.rate_limiter.block_for(delay)
            log.info("%s failed (%s); retry %d in %.1f s", what, error.kind, attempt, delay)
            if self.on_retry is not None:
                self.on_retry(attempt, delay, error)
            await self._sleep(delay)

    async def _send(self, method: str, path: str, *, params: dict[str, str] | None, json: Any,
                    what: str) -> httpx.Response:
        """Send one request and read its body, at most MAX_RESPONSE_BYTES (see bounded_read.py)."""
        return await read_bounded(self._http, self._http.build_request(method, self._url(path, params), json=json),
                                  what)

    def _url(self, path: str, params: dict[str, str] | None) -> str:
        """The absolute URL of `path` (relative to the base URL) with `params`, as one string.

        httpx parses and checks a URL char by char in Python each time it makes one: given a
        relative path and params, it made three per request (path, base joined, params merged),
        a fifth of a request's CPU (bench_store, 60 concurrent requests). Given an absolute
        URL with its query, it parses once. The query is httpx's own encoding of `params`."""
        query = str(httpx.QueryParams(params)) if params else ""
        return f"{self._base}{path.lstrip('/')}" + (f"?{query}" if query else "")

    def _note_budget(self, response: httpx.Response) -> None:
        """Keep the server's word on the budget; when it says none is left, hold requests back
        until its reset, so the app waits instead of earning a 429."""
        budget = server_budget(response)
        if budget is None:
            return
        self.server_budget = budget
        if budget.remaining == 0 and budget.resets_at is not None:
            self.rate_limiter.block_for(min(MAX_BUDGET_HOLD, max(0.0, budget.resets_at - time.time())))

    def _redirect_elsewhere(self, response: httpx.Response, what: str) -> RedirectedError | None:
        """The error for a redirect to another origin (scheme, host or port), else None.

        Redirects are never followed (the Authorization header would go along); one to the
        same origin keeps going through the usual reading of the body. The message names the
        origin only: a path or query the server chose could carry anything, the key included.
        """
        target = response.next_request.url if response.next_request is not None else None
        ours = self._http.base_url
        if target is None or (target.scheme, target.host, target.port) == (ours.scheme, ours.host, ours.port):
            return None
        # The host as sent on the wire (punycode): a look-alike of datafa.st stays visible.
        host = target.raw_host.decode("ascii", "replace")
        host = f"[{host}]" if ":" in host else host
        port = f":{target.port}" if target.port is not None else ""
        # Any case: hosts come lower-cased, and a server may well put the key in one.
        where = re.sub(re.escape(self._key), "***", plain_text(f"{target.scheme}://{host}{port}"),
                       flags=re.IGNORECASE)
        return _redirected(where, response.status_code, what, location=where)

    def _checked(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a response reader, redacting the key from any error it raises or returns."""
        try:
            result = fn(*args)
        except DataFastError as exc:
            exc.message = self.redact(exc.message)
            exc.args = (exc.message,)
            raise exc from None
        if isinstance(result, DataFastError):
            result.message = self.redact(result.message)
            result.args = (result.message,)
        return result

    async def _get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        return await self._request("GET", path, params=params or None)

    # -- reads ----------------------------------------------------------------------------

    async def websites(self) -> tuple[Website, ...]:
        """The account's websites (`GET admin/websites`): needs an account token (dft_…)."""
        from datafast_tui.api.models_account import Website

        body = await self._get("admin/websites")
        return self._parse(Website.list_from_json, body.get("data"))

    async def metadata(self) -> SiteMetadata:
        body = await self._get("analytics/metadata")
        return self._parse(SiteMetadata.from_json, body.get("data"))

    async def overview(self, query: Query | None = None, *, fields: Sequence[str] | None = None) -> Overview:
        params = _analytics_params(query, fields)
        body = await self._get("analytics/overview", params)
        return self._parse(Overview.from_json, body.get("data"))

    async def timeseries(self, query: Query | None = None, *, fields: Sequence[str] = ("visitors",),
                         interval: str = "day", limit: int | None = None,
                         offset: int | None = None) -> Timeseries:
        if interval not in INTERVALS:
            raise QueryError(f"interval {interval!r} is not one of {', '.join(INTERVALS)}")
        params = _analytics_params(query, fields)
        params["interval"] = interval
        params.update(_paging(limit, offset))
        body = await self._get("analytics/timeseries", params)
        return self._parse(Timeseries.from_json, body)

    async def realtime(self) -> RealtimeCount:
        from datafast_tui.api.models_realtime import RealtimeCount

        body = await self._get("analytics/realtime")
        return self._parse(RealtimeCount.from_json, body.get("data"))

    async def realtime_map(self) -> RealtimeMap:
        from datafast_tui.api.models_realtime import ParseMemo, RealtimeMap

        body = await self._get("analytics/realtime/map")
        memo = self._realtime_memo = self._realtime_memo or ParseMemo()
        return self._parse(lambda data: RealtimeMap.from_json(data, memo), body.get("data"))

    async def breakdown(self, endpoint: str, query: Query | None = None, *, limit: int | None = None,
                        offset: int | None = None, fields: Sequence[str] | None = None) -> Breakdown:
        """Any of the eleven breakdowns by endpoint name (see api/catalogue.py)."""
        if endpoint not in BREAKDOWN_ENDPOINTS:
            raise QueryError(f"unknown breakdown {endpoint!r}; use one of {', '.join(BREAKDOWN_ENDPOINTS)}")
        params = _analytics_params(query, fields)
        params.update(_paging(limit, offset))
        body = await self._get(f"analytics/{endpoint}", params)
        return self._parse(lambda b: Breakdown.from_json(endpoint, b), body)

    async def visitor(self, visitor_id: str) -> Visitor:
        from datafast_tui.api.models_visitor import Visitor
        from datafast_tui.api.visitor_ids import visitor_id_problem

        visitor_id = visitor_id.strip()
        problem = visitor_id_problem(visitor_id)
        if problem is not None:
            raise QueryError(problem)
        # Quote everything: an id such as "../analytics/overview" must stay one path segment.
        body = await self._get(f"visitors/{quote(visitor_id, safe='')}")
        return self._parse(Visitor.from_json, body.get("data"))

    async def people(self, search: PeopleSearch, *, limit: int | None = None, offset: int = 0) -> PeoplePage:
        """A page of `GET visitors` (today's pages): the visitors matching `search`, newest first
        (`limit`: the list's maximum when None)."""
        from datafast_tui.api.people import MAX_PEOPLE_LIMIT, PeoplePage

        limit = MAX_PEOPLE_LIMIT if limit is None else limit
        if not 1 <= limit <= MAX_PEOPLE_LIMIT:
            raise QueryError(f"limit {limit} is outside 1..{MAX_PEOPLE_LIMIT} (the visitors list's maximum)")
        params = search.params()
        params.update(_paging(limit, offset))
        body = await self._get("visitors", params)
        return self._parse(PeoplePage.from_json, body)

    async def funnels(self, website_id: str) -> tuple[FunnelDefinition, ...]:
        """The website's active funnels (an account route the site's own website key may call)."""
        from datafast_tui.api.funnels import FUNNEL_ID, FunnelDefinition

        site = website_id.strip()
        if not site or not FUNNEL_ID.fullmatch(site):
            raise QueryError(f"website id {site[:40]!r} is not an id like 665f0b3c4d2e1a0012345678")
        body = await self._get(f"admin/websites/{quote(site, safe='')}/funnels")
        return self._parse(FunnelDefinition.list_from_json, body.get("data"))

    async def funnel_report(self, funnel_id: str, query: Query | None = None) -> FunnelReport:
        """One funnel's step analytics for the query's range and filters."""
        from datafast_tui.api.funnels import FunnelReport, check_funnel_id

        ident = check_funnel_id(funnel_id)
        body = await self._get(f"analytics/funnels/{quote(ident, safe='')}", _analytics_params(query, None))
        return self._parse(FunnelReport.from_json, body.get("data"))

    # -- writes (never retried once they may have reached the server) ----------------------

    async def create_goal(self, goal: GoalRequest) -> GoalCreated:
        _refuse(goal.problems())
        body = await self._request("POST", "goals", json=goal.to_json())
        return self._parse(GoalCreated.from_json, body.get("data"))

    async def create_payment(self, payment: PaymentRequest) -> PaymentRecorded:
        _refuse(payment.problems())
        body = await self._request("POST", "payments", json=payment.to_json())
        return self._parse(PaymentRecorded.from_json, body)

    async def delete_goals(self, scope: GoalDeletion) -> DeletionResult:
        _refuse(scope.problems())
        body = await self._request("DELETE", "goals", params=scope.params())
        return self._parse(DeletionResult.from_json, body.get("data"))

    async def delete_payments(self, scope: PaymentDeletion) -> DeletionResult:
        _refuse(scope.problems())
        body = await self._request("DELETE", "payments", params=scope.params())
        return self._parse(DeletionResult.from_json, body.get("data"))

    def _parse(self, parser: Callable[[Any], T], payload: Any) -> T:
        try:
            return self._checked(parser, payload)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError, OverflowError) as exc:
            # A shape the readers did not foresee: still a clear error, never a crash in the UI.
            raise MalformedResponseError(
                self.redact(f"unexpected response shape ({type(exc).__name__}: {exc})")
            ) from None


def _redirected(where: str, status: int | None, what: str, location: str | None = None) -> RedirectedError:
    return RedirectedError(f"the server redirected to {where}; not followed, so the API key was not sent there",
                           status=status, request=what, location=location)


def _analytics_params(query: Query | None, fields: Sequence[str] | None) -> dict[str, str]:
    params = query.params() if query is not None else {}
    if fields:
        params["fields"] = ",".join(fields)
    return params


def _paging(limit: int | None, offset: int | None) -> dict[str, str]:
    out = {}
    if limit is not None:
        if not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit {limit} is outside 1..{MAX_LIMIT}")
        out["limit"] = str(limit)
    if offset is not None:
        if offset < 0:
            raise QueryError(f"offset {offset} is negative")
        out["offset"] = str(offset)
    return out


def _refuse(problems: list[str]) -> None:
    if problems:
        raise QueryError("; ".join(problems))
