"""Turning raw HTTP responses into JSON bodies or typed errors, and reading rate-limit headers."""

from __future__ import annotations

import json
import time
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from datafast_tui.api.errors import (
    DataFastError,
    MalformedResponseError,
    RateLimitedError,
    error_class_for_status,
)

_SNIPPET = 120


def _plain(text: str) -> str:
    """Collapse a server text to one printable line (it ends up in a status bar)."""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    return text[:_SNIPPET] + ("…" if len(text) > _SNIPPET else "")


def retry_after_seconds(response: httpx.Response, *, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, from `Retry-After` or `X-RateLimit-Reset`.

    `Retry-After` is seconds or an HTTP date. `X-RateLimit-Reset` is seen both as an epoch
    time (seconds or milliseconds) and as seconds from now; values that look like an epoch
    are read as one.
    """
    now = time.time() if now is None else now
    raw = response.headers.get("retry-after")
    if raw:
        try:
            return max(0.0, float(raw))
        except ValueError:
            try:
                return max(0.0, parsedate_to_datetime(raw).timestamp() - now)
            except (TypeError, ValueError, IndexError):
                pass
    raw = response.headers.get("x-ratelimit-reset")
    if raw:
        try:
            value = float(raw)
        except ValueError:
            return None
        if value > 1e12:  # epoch milliseconds
            value = value / 1000.0
        if value > 1e9:  # epoch seconds
            return max(0.0, value - now)
        return max(0.0, value)
    return None


def decode_json(response: httpx.Response) -> Any:
    """The body as JSON, or None when it is not JSON at all."""
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return None


def error_from_response(response: httpx.Response, body: Any, what: str) -> DataFastError:
    """The typed error for a failed response, carrying the server's own message when it sent one."""
    status = response.status_code
    code: int | None = None
    message = ""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        err = body["error"]
        message = _plain(str(err.get("message") or ""))
        if isinstance(err.get("code"), int) and not isinstance(err.get("code"), bool):
            code = err["code"]
    elif isinstance(body, dict) and isinstance(body.get("message"), str):
        message = _plain(body["message"])
    if status < 400 and code is not None and code >= 400:
        status = code  # an error envelope sent with 200
    if not message:
        message = response.reason_phrase or "request failed"
        content_type = response.headers.get("content-type", "")
        if "html" not in content_type and response.content:
            message = f"{message}: {_plain(response.text)}"
    cls = error_class_for_status(status)
    if cls is RateLimitedError:
        return RateLimitedError(message, status=status, code=code, request=what,
                                retry_after=retry_after_seconds(response))
    return cls(message, status=status, code=code, request=what)


def body_or_error(response: httpx.Response, what: str) -> dict[str, Any]:
    """The JSON object of a successful response; raises the matching DataFastError otherwise."""
    body = decode_json(response)
    is_error_envelope = isinstance(body, dict) and body.get("status") == "error"
    if response.status_code >= 400 or is_error_envelope:
        raise error_from_response(response, body, what)
    if not isinstance(body, dict):
        content_type = response.headers.get("content-type", "unknown") or "unknown"
        detail = "not JSON" if body is None else f"JSON {type(body).__name__}, not an object"
        raise MalformedResponseError(
            f"the response is {detail} (content type {_plain(content_type)})",
            status=response.status_code, request=what,
        )
    return body
