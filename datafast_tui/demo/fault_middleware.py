"""The ASGI middleware that applies a FaultPlan to the demo API (see faults.py for the kinds).

Only requests whose path starts with the API prefix are subject to faults. The middleware
sits outside the routing, so a fault hits every endpoint alike, including 401s and 404s.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from datafast_tui.demo.errors import error_response
from datafast_tui.demo.faults import (
    CONNECTION_RESET,
    INVALID_JSON,
    RATE_LIMITED,
    SERVER_ERROR,
    SLOW,
    TRUNCATED_JSON,
    WRONG_CONTENT_TYPE,
    Fault,
    FaultPlan,
)

RESET_MESSAGE = "Connection reset by peer (injected by the demo API's fault plan)"
JSON = b"application/json"
HTML = b"text/html; charset=utf-8"
# What a proxy, captive portal or dying backend sends instead of the API's JSON.
PROXY_ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n"
)
INVALID_BODIES: tuple[bytes, ...] = (
    b'{"status": "success", "data": [',
    PROXY_ERROR_PAGE,
    b"",
    b"\xff\xfe\x00garbage \x89PNG\r\n",
)
Injector = Callable[["FaultMiddleware", Fault, Scope, Receive, Send], Awaitable[None]]


class FaultMiddleware:
    """Wraps the demo app: asks `plan` about every API request and injects the fault drawn."""

    def __init__(self, app: ASGIApp, plan: FaultPlan, prefix: str = "/api/v1") -> None:
        self.app = app
        self.plan = plan
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        fault = self.plan.draw()
        if fault is None:
            await self.app(scope, receive, send)
            return
        await _INJECTORS[fault.kind](self, fault, scope, receive, send)


async def _send_raw(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], content_type: bytes, body: bytes
) -> None:
    """Send `body` whole, with `headers` but our own content type and a matching length."""
    kept = [(k, v) for k, v in headers if k.lower() not in (b"content-length", b"content-type")]
    framing = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": kept + framing})
    await send({"type": "http.response.body", "body": body})


# -- before the handler ---------------------------------------------------------------------


async def _server_error(mw: FaultMiddleware, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    await error_response(500, "Internal server error (injected fault)")(scope, receive, send)


async def _rate_limited(mw: FaultMiddleware, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    # Wall-clock time, not the demo's clock: the client compares the reset with its own clock.
    wait = mw.plan.retry_after_seconds
    reset_at = math.ceil(time.time() + wait)
    headers = {
        "Retry-After": str(wait),
        "X-RateLimit-Limit": "60",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(reset_at),
    }
    message = f"Rate limit exceeded: try again in {wait} seconds (injected fault)"
    await error_response(429, message, headers=headers)(scope, receive, send)


async def _connection_reset(mw: FaultMiddleware, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    # Promise more bytes than are sent, then fail: uvicorn closes the socket mid-body (the
    # client sees a broken response); httpx's ASGITransport re-raises the error in-process.
    partial = b'{"status": "success", "data": [{"vis'
    headers = [(b"content-type", JSON), (b"content-length", str(len(partial) * 4).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": partial, "more_body": True})
    raise ConnectionResetError(RESET_MESSAGE)


async def _slow(mw: FaultMiddleware, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    # Read the request body first, then wait while listening for the client to go away:
    # after the body, `receive()` only returns once the client disconnects.
    buffered: list[Message] = []
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        buffered.append(message)
        more = message.get("more_body", False)
    gone = asyncio.ensure_future(receive())
    try:
        done, _ = await asyncio.wait({gone}, timeout=mw.plan.slow_seconds)
        if done:  # the client gave up: drop the request unprocessed, as it never was answered
            return

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await gone

        await mw.app(scope, replay, send)
    finally:
        if not gone.done():
            gone.cancel()


# -- after the handler ----------------------------------------------------------------------


async def _answer(mw: FaultMiddleware, scope: Scope, receive: Receive) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Run the real handler, keeping its answer: status, headers and whole body."""
    start: Message = {}
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await mw.app(scope, receive, keep)
    return start.get("status", 500), list(start.get("headers", [])), b"".join(chunks)


async def _truncated_json(mw: FaultMiddleware, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    status, headers, body = await _answer(mw, scope, receive)
    cut = body[: len(body) // 2]
    await _send_raw(send, status, headers, JSON, cut)


async def _invalid_json(mw: FaultMiddleware, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    await _answer(mw, scope, receive)
    body = INVALID_BODIES[fault.variant % len(INVALID_BODIES)]
    await _send_raw(send, 200, [], JSON, body)


async def _wrong_content_type(mw: FaultMiddleware, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    await _answer(mw, scope, receive)
    await _send_raw(send, 200, [], HTML, PROXY_ERROR_PAGE)


_INJECTORS: dict[str, Injector] = {
    SERVER_ERROR: _server_error,
    RATE_LIMITED: _rate_limited,
    CONNECTION_RESET: _connection_reset,
    SLOW: _slow,
    TRUNCATED_JSON: _truncated_json,
    INVALID_JSON: _invalid_json,
    WRONG_CONTENT_TYPE: _wrong_content_type,
}


class QuietInjectedResets(logging.Filter):
    """Drops uvicorn's "Exception in ASGI application" records for injected resets (not bugs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (isinstance(exc, ConnectionResetError) and str(exc) == RESET_MESSAGE)
