"""One request's outcome as a screen part holds it: a result (maybe stale), or the error.

Every panel that loads through the store keeps a `Part`, so one failing request (say the
referrers table) leaves the rest of the screen working and says why where the data would be.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Generic, TypeVar

from datafast_tui.api.errors import DataFastError
from datafast_tui.data.cache import Result

T = TypeVar("T")


@dataclass(frozen=True)
class Part(Generic[T]):
    """One request's outcome: a result (maybe stale), or the error that left nothing to show."""

    result: Result[T] | None = None
    error: DataFastError | None = None

    @property
    def value(self) -> T | None:
        return self.result.value if self.result is not None else None

    @property
    def landed(self) -> bool:
        """Whether the request has answered (with a value or an error); `Part()` is still on its way."""
        return self.result is not None or self.error is not None

    @property
    def problem(self) -> DataFastError | None:
        """The error to show: a failure, or the reason a shown value is stale."""
        if self.error is not None:
            return self.error
        return self.result.error if self.result is not None else None


async def part(call: Awaitable[Result[T]]) -> Part[T]:
    try:
        return Part(result=await call)
    except DataFastError as exc:
        return Part(error=exc)
