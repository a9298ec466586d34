"""The API's error type and its JSON envelope."""

from __future__ import annotations

from starlette.responses import JSONResponse


class ApiError(Exception):
    """A request the API refuses: becomes `{"status": "error", "error": {"code", "message"}}`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The documented error envelope with `status` as both HTTP status and `error.code`."""
    return JSONResponse(
        {"status": "error", "error": {"code": status, "message": message}},
        status_code=status,
        headers=headers,
    )


def success(data: object, **extra: object) -> dict[str, object]:
    """The documented success envelope; `extra` keys (pagination, totals, ...) follow `data`."""
    return {"status": "success", "data": data, **extra}
