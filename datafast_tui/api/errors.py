"""Typed exceptions for everything that can go wrong talking to the DataFast API.

Every exception carries the HTTP status (when there was a response) and a message meant
for a person. Messages never contain the API key: the client redacts it before raising.
"""

from __future__ import annotations


class QueryError(ValueError):
    """A query the client refuses before sending (bad filter, date range, timezone, form);
    the message says what to change. Not a DataFastError: nothing was sent."""


class DataFastError(Exception):
    """Base class: any failure of a DataFast API call."""

    #: Short label for the kind of failure, shown in status lines ("bad request", ...).
    kind = "error"

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None,
                 request: str | None = None) -> None:
        super().__init__(message)
        #: For people: the server's own words when it sent some, else what went wrong.
        self.message = message
        self.status = status
        # The envelope's error.code; usually equal to the HTTP status.
        self.code = code if code is not None else status
        #: The request that failed ("GET analytics/overview"), for logs and details.
        self.request = request

    def __str__(self) -> str:
        text = self.message if self.status is None else f"{self.status} {self.kind}: {self.message}"
        return f"{text} [{self.request}]" if self.request else text

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(status={self.status!r}, message={self.message!r}, "
                f"request={self.request!r})")


class BadRequestError(DataFastError):
    """400: the server rejected a parameter or body; `message` says which."""

    kind = "bad request"


class UnauthorizedError(DataFastError):
    """401: the API key is missing, wrong or revoked."""

    kind = "unauthorized"


class ForbiddenError(DataFastError):
    """403: the key may not do this (an account token without the permission or without access
    to the website), or tracking is suspended for the website; `message` says which."""

    kind = "forbidden"


class NotFoundError(DataFastError):
    """404: unknown visitor, website, transaction or path."""

    kind = "not found"


class RateLimitedError(DataFastError):
    """429: too many requests. `retry_after` is seconds to wait, when the server said."""

    kind = "rate limited"

    def __init__(self, message: str, *, status: int | None = 429, code: int | None = None,
                 request: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, status=status, code=code, request=request)
        self.retry_after = retry_after


class ServerError(DataFastError):
    """5xx: the server failed."""

    kind = "server error"


class UnexpectedStatusError(DataFastError):
    """Any other non-success status (405, 409, 413, ...)."""

    kind = "unexpected status"


class NetworkError(DataFastError):
    """No usable response: DNS, refused connection, reset, TLS failure."""

    kind = "network error"


class ApiTimeoutError(NetworkError):
    """The server did not answer within the client's timeout."""

    kind = "timeout"


class MalformedResponseError(DataFastError):
    """A response arrived but its body is not what the API documents (bad JSON, wrong shape)."""

    kind = "malformed response"

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None,
                 request: str | None = None, transient: bool = False) -> None:
        super().__init__(message, status=status, code=code, request=request)
        #: Whether another try of a GET may get a good answer: true for a body cut short or a
        #: proxy's page (accidents on the way), false for what the server would send again.
        self.transient = transient


class ResponseTooLargeError(MalformedResponseError):
    """The answer is larger than the client reads (`bounded_read.MAX_RESPONSE_BYTES`); it was not read."""

    kind = "response too large"


class RedirectedError(MalformedResponseError):
    """The server answered with a redirect to another origin; it was not followed, so the API key
    was not sent there. `location` is that origin (scheme, host and port only)."""

    kind = "redirected"

    def __init__(self, message: str, *, status: int | None = None, request: str | None = None,
                 location: str | None = None) -> None:
        super().__init__(message, status=status, request=request)
        self.location = location


class ConfigurationError(DataFastError):
    """The client was set up wrongly (bad base URL, empty key); raised before any request."""

    kind = "configuration"


_BY_STATUS: dict[int, type[DataFastError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    429: RateLimitedError,
}


def error_class_for_status(status: int) -> type[DataFastError]:
    """The exception class that stands for an HTTP error status."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    return UnexpectedStatusError
