"""Turning raw HTTP responses into JSON bodies or typed errors, and reading rate-limit headers."""

from __future__ import annotations

import json
import math
import re
import sys
import time
from dataclasses import dataclass
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


def plain_text(text: str) -> str:
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
    return _reset_seconds(response.headers.get("x-ratelimit-reset"), now)


@dataclass(frozen=True)
class ServerBudget:
    """What the server's `X-RateLimit-*` headers said: the limit, what is left, and when the
    window resets (as a wall-clock time; the header may be epoch s, epoch ms or seconds)."""

    limit: int | None
    remaining: int
    resets_at: float | None


def _header_int(response: httpx.Response, name: str) -> int | None:
    raw = (response.headers.get(name) or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None


def server_budget(response: httpx.Response, *, now: float | None = None) -> ServerBudget | None:
    """The rate-limit headers of `response`, or None when it has none (or they are nonsense)."""
    remaining = _header_int(response, "x-ratelimit-remaining")
    if remaining is None:
        return None
    now = time.time() if now is None else now
    reset = _reset_seconds(response.headers.get("x-ratelimit-reset"), now)
    return ServerBudget(_header_int(response, "x-ratelimit-limit"), remaining,
                        now + reset if reset is not None else None)


def _reset_seconds(raw: str | None, now: float) -> float | None:
    """`X-RateLimit-Reset` as seconds from now: epoch ms, epoch s, or already seconds from now."""
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    if value > 1e12:  # epoch milliseconds
        value = value / 1000.0
    if value > 1e9:  # epoch seconds
        return max(0.0, value - now)
    return max(0.0, value)


#: Far deeper than any answer the API documents (under ten levels). A deeper body is refused whole:
#: Python's decoder fails with a RecursionError near 1,000 levels, and anything that later
#: walks the value (repr, str, an export) could fail the same way far from here.
MAX_DEPTH = 64
# The largest integer a float can hold: the readers turn every number into a float.
_MAX_INT = int(sys.float_info.max)
_TOO_DEEP = f"nests lists or objects more than {MAX_DEPTH} levels deep"


class _Refused(Exception):
    """Raised by the decoder's hooks: JSON that parses but that the client will not hold."""


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 parses as infinity
        raise _Refused(f"holds the number {plain_text(text[:40])}, which is out of range")
    return value


def _bounded_int(text: str) -> int:
    # Checked on the text first: past 4,300 digits int() itself refuses, with a ValueError that
    # would read as "not JSON" (and be retried); past 310 no float can hold it anyway.
    value = int(text) if len(text) <= 310 else None
    if value is None or abs(value) > _MAX_INT:
        raise _Refused(f"holds a number of {len(text.lstrip('-'))} digits, which is out of range")
    return value


def _no_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity; JSON does not, and no count or rate is either.
    raise _Refused(f"holds {name}, which is not a JSON number")


_CONTAINERS = (dict, list)  # all the decoder makes that holds more values (exact types)


def _too_deep(value: Any) -> bool:
    """Whether lists and objects nest more than MAX_DEPTH levels (walked a level at a time,
    without recursion: on every answer, so kept cheap)."""
    level = [value] if type(value) in _CONTAINERS else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return True
        below: list[Any] = []
        for item in level:
            below += [c for c in (item.values() if type(item) is dict else item) if type(c) in _CONTAINERS]
        level = below
    return False


#: A body with no digit run of 300 or more and no exponent holds no number out of range: it is
#: decoded without the number hooks (a Python call per number was half of decoding an answer).
_RISKY_NUMBERS = re.compile(rb"\d{300}|\d[eE]")


def _loads(content: bytes) -> Any:
    if _RISKY_NUMBERS.search(content) is None:
        return json.loads(content, parse_constant=_no_constant)
    return json.loads(content, parse_float=_finite_float, parse_int=_bounded_int, parse_constant=_no_constant)


def decode_json(response: httpx.Response) -> Any:
    """The body as JSON, or None when it is not JSON at all.

    Raises a (not transient) MalformedResponseError for JSON the client refuses to hold: nested
    deeper than MAX_DEPTH, or numbers no float can hold (NaN, Infinity, 1e400, 400 digits).
    """
    try:
        body = _loads(response.content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    except _Refused as exc:
        problem = str(exc)
    except RecursionError:
        # The decoder recursed past Python's limit: the stack has unwound, nothing is left over.
        problem = _TOO_DEEP
    except ValueError:
        return None  # any other refusal of the text by the decoder
    else:
        if not _too_deep(body):
            return body
        problem = _TOO_DEEP
    raise MalformedResponseError(f"the response {problem}", status=response.status_code)


def json_or_none(response: httpx.Response) -> Any:
    """The body as JSON when it is JSON the client holds, else None (for reading error bodies)."""
    try:
        return decode_json(response)
    except MalformedResponseError:
        return None


def error_from_response(response: httpx.Response, body: Any, what: str) -> DataFastError:
    """The typed error for a failed response, carrying the server's own message when it sent one."""
    status = response.status_code
    code: int | None = None
    message = ""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        err = body["error"]
        message = plain_text(str(err.get("message") or ""))
        if isinstance(err.get("code"), int) and not isinstance(err.get("code"), bool):
            code = err["code"]
    elif isinstance(body, dict) and isinstance(body.get("message"), str):
        message = plain_text(body["message"])
    if status < 400 and code is not None and code >= 400:
        status = code  # an error envelope sent with 200
    if not message:
        message = response.reason_phrase or "request failed"
        content_type = response.headers.get("content-type", "")
        if "html" not in content_type and response.content:
            message = f"{message}: {plain_text(response.text)}"
    cls = error_class_for_status(status)
    if cls is RateLimitedError:
        return RateLimitedError(message, status=status, code=code, request=what,
                                retry_after=retry_after_seconds(response))
    return cls(message, status=status, code=code, request=what)


def body_or_error(response: httpx.Response, what: str) -> dict[str, Any]:
    """The JSON object of a successful response; raises the matching DataFastError otherwise."""
    refused: MalformedResponseError | None = None
    try:
        body = decode_json(response)
    except MalformedResponseError as exc:
        body, refused = None, exc
    is_error_envelope = isinstance(body, dict) and body.get("status") == "error"
    if response.status_code >= 400 or is_error_envelope:
        # The status says what happened even when its body is refused.
        raise error_from_response(response, body, what)
    if refused is not None:
        refused.request = what
        raise refused
    if not isinstance(body, dict):
        content_type = response.headers.get("content-type", "unknown") or "unknown"
        detail = "not JSON" if body is None else f"JSON {type(body).__name__}, not an object"
        # Transient: a body cut short or a proxy's page may be a one-off (see the client).
        raise MalformedResponseError(
            f"the response is {detail} (content type {plain_text(content_type)})",
            status=response.status_code, request=what, transient=True,
        )
    return body
