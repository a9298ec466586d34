"""The Starlette application serving the DataFast API under `/api/v1/` from a DemoDatabase.

Endpoints are async only to read the request; their SQL runs in Starlette's threadpool
(`run_in_threadpool`), so a query never blocks the event loop the app's UI shares.
Authentication is `Authorization: Bearer <api_key>` (a website key, as `df_…` keys are), or
`Bearer dft_<api_key without df_>` (an account token, as `dft_…` tokens are: every website
route then needs `?websiteId=` naming the demo site, whose id `GET admin/websites` lists;
a missing one is a 400, another site's a 403). Every failure, including unknown
paths (404), wrong methods (405), bodies over 64 KB (413) and unexpected errors (500),
uses the error envelope.

GET answers are kept in an AnswerCache (answer_cache.py) under the store's version and, per
route, the clock as far as its answer reads it: a repeated question is answered on the
event loop without SQL. Authentication, the rate-limit headers and the fault plan still
run for every request.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from datafast_tui.demo import breakdowns, funnels, profile, realtime, reports, visitors_list, writes
from datafast_tui.demo.answer_cache import Answer, AnswerCache, ClockUse, Key, RequestKey, computed_key, key_for
from datafast_tui.demo.bodies import MAX_BODY_BYTES
from datafast_tui.demo.database import DEFAULT_SEED, DemoDatabase, open_demo_database
from datafast_tui.demo.errors import ApiError, error_response, success
from datafast_tui.demo.fault_middleware import FaultMiddleware
from datafast_tui.demo.faults import FaultPlan
from datafast_tui.demo.params import ApiRequest
from datafast_tui.demo.rate_window import RateWindow

log = logging.getLogger(__name__)

DEMO_API_KEY = "demo"
PREFIX = "/api/v1"
Handler = Callable[[DemoDatabase, ApiRequest], dict[str, object]]
#: An account route that the website's own key may call as well.
SITE_KEY_TOO = "or website key"


def account_token_for(api_key: str) -> str:
    """The demo's account token beside website key `api_key` ("demo" -> "dft_demo")."""
    return "dft_" + api_key.removeprefix("df_")


def _authorize(request: Request, api_key: str) -> bool:
    """Check the Bearer token; True for the account token, False for the website key."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise ApiError(401, "Missing API key: send the header 'Authorization: Bearer <your API key>'")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "Malformed Authorization header: expected 'Bearer <your API key>'")
    given = token.strip().encode()
    # Both compared, always: which one matched must not show in the time taken.
    website = hmac.compare_digest(given, api_key.encode())
    account = hmac.compare_digest(given, account_token_for(api_key).encode())
    if not (website or account):
        raise ApiError(401, "Invalid API key")
    return account


def _check_website(db: DemoDatabase, request: Request, account: bool, account_route: bool | str) -> None:
    """An account token names the website of a website route; a website key needs not.

    `account_route="or website key"`: an account route the site's own website key may call
    too (today's funnel list); the handler checks the path's website id.
    """
    if account_route == SITE_KEY_TOO:
        return
    if account_route:
        if not account:
            raise ApiError(403, "This route needs an account token (dft_...); a website API key cannot list websites")
        return
    wanted = request.query_params.get("websiteId")
    if not account:
        return  # a website key's site is the key's own; a websiteId beside it is not needed
    if not wanted:
        raise ApiError(400, "websiteId is required with an account token (dft_...): list the account's websites"
                            " with GET /api/v1/admin/websites and pass ?websiteId=<_id>")
    if wanted != website_id(db):
        raise ApiError(403, f"This token has no access to website '{wanted}'")


def website_id(db: DemoDatabase) -> str:
    """The demo site's id as the Account API lists it (an ObjectId-like hex, stable per seed)."""
    return hashlib.sha256(f"website:{db.seed}".encode()).hexdigest()[:24]


def websites(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    """`GET admin/websites`: the account's one website, the demo site."""
    site = db.names.site
    return success([{"_id": website_id(db), "domain": site.domain, "name": site.name,
                     "trackingId": f"dfid_{website_id(db)[:6]}", "timezone": site.timezone,
                     "currency": site.currency, "role": "owner"}])


def _too_large() -> ApiError:
    return ApiError(413, f"Request body too large: at most {MAX_BODY_BYTES} bytes")


async def _read_body(request: Request) -> bytes:
    """The body, read no further than MAX_BODY_BYTES (413 beyond).

    `request.body()` would hold all of a 20 MB post in memory before anyone looked at its
    size: a declared Content-Length is checked before reading anything, and a chunked body
    (no length) is read only until it passes the limit.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not re.fullmatch(r"[0-9]{1,19}", declared.strip()):
            raise ApiError(400, f"Invalid Content-Length header '{declared[:40]}'")
        if int(declared) > MAX_BODY_BYTES:
            raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _call(request: Request, body: bytes = b"") -> ApiRequest:
    return ApiRequest(query=request.query_params, items=request.query_params.multi_items(),
                      path=dict(request.path_params), body=body)


def _endpoint(db: DemoDatabase, api_key: str, handler: Handler, window: RateWindow, *,
              account_route: bool | str = False, answers: AnswerCache | None = None,
              uses: ClockUse = ClockUse.INSTANT) -> Callable[[Request], object]:
    """The Starlette endpoint running `handler`; `answers` keeps its GET answers as `uses` allows."""
    cached = answers is not None and uses is not ClockUse.INSTANT

    async def endpoint(request: Request) -> Response:
        response = await _answer(request)
        response.headers.update(window.headers())  # per request, never from the cache
        return response

    async def _answer(request: Request) -> Response:
        try:
            account = _authorize(request, api_key)
            _check_website(db, request, account, account_route)
            if cached and request.method == "GET":
                return await _reuse(request, account)
            body = await _read_body(request) if request.method in ("POST", "PUT", "PATCH") else b""
            return JSONResponse(await run_in_threadpool(handler, db, _call(request, body)))
        except ApiError as exc:
            return error_response(exc.status, exc.message)
        except Exception:  # noqa: BLE001 - the API answers 500 in its envelope, never a traceback
            log.exception("demo API failed on %s %s", request.method, request.url.path)
            return error_response(500, "Internal server error")

    async def _reuse(request: Request, account: bool) -> Response:
        """The kept answer if there is one for now's version; else computed once (and kept)."""
        assert answers is not None
        asked: RequestKey = (request.method, request.scope["path"], request.scope.get("query_string", b""), account)
        # Without the lock or SQL, unless live traffic is due: then catch it up first, off the loop.
        snapshot = db.snapshot() or await run_in_threadpool(db.settle)
        key = key_for(asked, uses, snapshot)
        if key is None:  # not settled: compute, keep only if the reads found it settled after all
            return (await run_in_threadpool(_compute, request, asked, None)).response()
        answer = answers.get(key) or await answers.shared(
            key, lambda: run_in_threadpool(_compute, request, asked, key))
        return answer.response()

    def _compute(request: Request, asked: RequestKey, key: Key | None) -> Answer:
        """Run the handler (in the threadpool) and keep its answer under what its reads saw."""
        with db.watch() as seen:
            try:
                answer = Answer.of(JSONResponse(handler(db, _call(request))))
            except ApiError as exc:  # a 4xx is as much a function of the request and data as a 200
                answer = Answer.of(error_response(exc.status, exc.message))
        kept = computed_key(asked, uses, key, seen)
        if kept is not None and answers is not None:
            answers.put(kept, answer)
        return answer

    return endpoint


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"Not found: {request.method} {request.url.path} is not an endpoint of this API"
    elif exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        message = f"Method {request.method} not allowed for {request.url.path}; allowed: {allowed}"
    else:
        message = str(exc.detail)
    return error_response(exc.status_code, message, headers=exc.headers)


class _StripTrailingSlash:
    """Treat `/api/v1/analytics/overview/` as `/api/v1/analytics/overview` (no redirect)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and len(path) > 1 and path.endswith("/"):
            scope = {**scope, "path": path.rstrip("/") or "/"}
        await self.app(scope, receive, send)


def build_demo_app(
    *,
    seed: int = DEFAULT_SEED,
    api_key: str = DEMO_API_KEY,
    clock: Callable[[], datetime] | None = None,
    cache_dir: Path | None = None,
    live: bool = True,
    hostile: bool = False,
    database: DemoDatabase | None = None,
    faults: FaultPlan | None = None,
    progress: Callable[[float], None] | None = None,
    cache_answers: bool = True,
    copy_on_write: bool | None = None,
) -> Starlette:
    """The demo API as an ASGI app; `app.state.database` is its DemoDatabase.

    Pass `database` to serve an existing store (then seed, clock, cache_dir, live and
    hostile are that store's); otherwise one is opened with `open_demo_database`.
    `faults` makes a share of the requests fail (see faults.py); `app.state.faults` is it
    (None without), so its rate can be changed and its counters read while serving.
    `cache_answers=False` computes every answer afresh; `app.state.answers` is the
    AnswerCache (None without).
    """
    db = database or open_demo_database(seed=seed, clock=clock, cache_dir=cache_dir, live=live, hostile=hostile,
                                        copy_on_write=copy_on_write,
                                        progress=progress)

    window = RateWindow()
    answers = AnswerCache() if cache_answers else None

    def endpoint(handler: Handler, uses: ClockUse, account_route: bool | str = False) -> Callable[[Request], object]:
        return _endpoint(db, api_key, handler, window, account_route=account_route, answers=answers, uses=uses)

    def route(path: str, handler: Handler, uses: ClockUse) -> Route:
        return Route(PREFIX + path, endpoint(handler, uses), methods=["GET"])

    # Each route says how its answer depends on the clock (answer_cache.py): INSTANT ones
    # ("last seen", "time since", the realtime windows) are computed for every request.
    routes = [
        route("/visitors", visitors_list.visitors, ClockUse.INSTANT),
        route("/visitors/{visitor_id}", profile.visitor, ClockUse.INSTANT),
        route("/analytics/timeseries", reports.timeseries, ClockUse.MINUTE),
        route("/analytics/overview", reports.overview, ClockUse.DATA),
        route("/analytics/metadata", reports.metadata, ClockUse.DATA),
        route("/analytics/realtime", realtime.realtime, ClockUse.INSTANT),
        route("/analytics/realtime/map", realtime.realtime_map, ClockUse.INSTANT),
        *(route(f"/analytics/{name}", handler, ClockUse.DATA) for name, handler in breakdowns.ENDPOINTS.items()),
        Route(PREFIX + "/admin/websites", endpoint(websites, ClockUse.DATA, account_route=True), methods=["GET"]),
        route("/analytics/funnels/{funnel_id}", funnels.funnel_analytics, ClockUse.DATA),
        Route(PREFIX + "/admin/websites/{website_id}/funnels",
              endpoint(lambda d, r: funnels.list_funnels(d, r, website_id(d)), ClockUse.DATA, SITE_KEY_TOO),
              methods=["GET"]),
        # One Route per path and method list keeps 405 answers right for the other methods.
        Route(
            PREFIX + "/goals",
            _dispatch(db, api_key, window, {"POST": writes.create_goal, "DELETE": writes.delete_goals}),
            methods=["POST", "DELETE"],
        ),
        Route(
            PREFIX + "/payments",
            _dispatch(db, api_key, window, {"POST": writes.create_payment, "DELETE": writes.delete_payments}),
            methods=["POST", "DELETE"],
        ),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.router.redirect_slashes = False
    app.state.database = db
    app.state.faults = faults
    app.state.answers = answers
    app.add_middleware(_StripTrailingSlash)
    if faults is not None:  # added last, so outermost: a fault strikes before any other work
        app.add_middleware(FaultMiddleware, plan=faults, prefix=PREFIX)
    return app


def _dispatch(db: DemoDatabase, api_key: str, window: RateWindow,
              by_method: dict[str, Handler]) -> Callable[[Request], object]:
    endpoints = {method: _endpoint(db, api_key, handler, window) for method, handler in by_method.items()}

    async def endpoint(request: Request) -> Response:
        return await endpoints[request.method](request)  # type: ignore[misc]

    return endpoint
