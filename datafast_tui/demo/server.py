"""The Starlette application serving the DataFast API under `/api/v1/` from a DemoDatabase.

Endpoints are async only to read the request; their SQL runs in Starlette's threadpool
(`run_in_threadpool`), so a query never blocks the event loop the app's UI shares.
Authentication is `Authorization: Bearer <api_key>`. Every failure, including unknown
paths (404), wrong methods (405), bodies over 64 KB (413) and unexpected errors (500),
uses the error envelope.
"""

from __future__ import annotations

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

from datafast_tui.demo import breakdowns, profile, realtime, reports, writes
from datafast_tui.demo.bodies import MAX_BODY_BYTES
from datafast_tui.demo.database import DEFAULT_SEED, DemoDatabase, open_demo_database
from datafast_tui.demo.errors import ApiError, error_response
from datafast_tui.demo.fault_middleware import FaultMiddleware
from datafast_tui.demo.faults import FaultPlan
from datafast_tui.demo.params import ApiRequest

log = logging.getLogger(__name__)

DEMO_API_KEY = "demo"
PREFIX = "/api/v1"
Handler = Callable[[DemoDatabase, ApiRequest], dict[str, object]]


def _authorize(request: Request, api_key: str) -> None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise ApiError(401, "Missing API key: send the header 'Authorization: Bearer <your API key>'")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "Malformed Authorization header: expected 'Bearer <your API key>'")
    if not hmac.compare_digest(token.strip().encode(), api_key.encode()):
        raise ApiError(401, "Invalid API key")


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


def _endpoint(db: DemoDatabase, api_key: str, handler: Handler) -> Callable[[Request], object]:
    async def endpoint(request: Request) -> Response:
        try:
            _authorize(request, api_key)
            body = await _read_body(request) if request.method in ("POST", "PUT", "PATCH") else b""
            call = ApiRequest(
                query=request.query_params,
                items=request.query_params.multi_items(),
                path=dict(request.path_params),
                body=body,
            )
            return JSONResponse(await run_in_threadpool(handler, db, call))
        except ApiError as exc:
            return error_response(exc.status, exc.message)
        except Exception:  # noqa: BLE001 - the API answers 500 in its envelope, never a traceback
            log.exception("demo API failed on %s %s", request.method, request.url.path)
            return error_response(500, "Internal server error")

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
) -> Starlette:
    """The demo API as an ASGI app; `app.state.database` is its DemoDatabase.

    Pass `database` to serve an existing store (then seed, clock, cache_dir, live and
    hostile are that store's); otherwise one is opened with `open_demo_database`.
    `faults` makes a share of the requests fail (see faults.py); `app.state.faults` is it
    (None without), so its rate can be changed and its counters read while serving.
    """
    db = database or open_demo_database(seed=seed, clock=clock, cache_dir=cache_dir, live=live, hostile=hostile,
                                        progress=progress)

    def route(path: str, handler: Handler, method: str = "GET") -> Route:
        return Route(PREFIX + path, _endpoint(db, api_key, handler), methods=[method])

    routes = [
        route("/visitors/{visitor_id}", profile.visitor),
        route("/analytics/timeseries", reports.timeseries),
        route("/analytics/overview", reports.overview),
        route("/analytics/metadata", reports.metadata),
        route("/analytics/realtime", realtime.realtime),
        route("/analytics/realtime/map", realtime.realtime_map),
        *(route(f"/analytics/{name}", handler) for name, handler in breakdowns.ENDPOINTS.items()),
        # One Route per path and method list keeps 405 answers right for the other methods.
        Route(
            PREFIX + "/goals",
            _dispatch(db, api_key, {"POST": writes.create_goal, "DELETE": writes.delete_goals}),
            methods=["POST", "DELETE"],
        ),
        Route(
            PREFIX + "/payments",
            _dispatch(db, api_key, {"POST": writes.create_payment, "DELETE": writes.delete_payments}),
            methods=["POST", "DELETE"],
        ),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.router.redirect_slashes = False
    app.state.database = db
    app.state.faults = faults
    app.add_middleware(_StripTrailingSlash)
    if faults is not None:  # added last, so outermost: a fault strikes before any other work
        app.add_middleware(FaultMiddleware, plan=faults, prefix=PREFIX)
    return app


def _dispatch(db: DemoDatabase, api_key: str, by_method: dict[str, Handler]) -> Callable[[Request], object]:
    endpoints = {method: _endpoint(db, api_key, handler) for method, handler in by_method.items()}

    async def endpoint(request: Request) -> Response:
        return await endpoints[request.method](request)  # type: ignore[misc]

    return endpoint
