"""What to tell a person about an error: a short title and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass

from datafast_tui.api import errors as e
from datafast_tui.safe_text import clean


@dataclass(frozen=True)
class Advice:
    title: str
    detail: str
    #: For passing troubles (network, timeout, server, rate limit): what went wrong without
    #: the advice on retrying, for screens that say when they retry themselves (realtime).
    reason: str = ""


def advise(error: BaseException) -> Advice:
    message = clean(getattr(error, "message", None) or str(error))
    if isinstance(error, e.UnauthorizedError):
        return Advice(
            "API key rejected",
            "DataFast refused the key (401). Create a website key (df_…) in the DataFast dashboard "
            "(Website settings > Developer) or an account token (dft_…, Account settings > API), then press w and choose \"another API key…\" to use it now "
            "(or set DATAFAST_API_KEY or your profile's key for the next start).",
        )
    if isinstance(error, e.ForbiddenError):
        return Advice(
            "Not allowed (403)",
            f"DataFast answered: {message}. The key lacks a permission for this (an account token "
            "needs e.g. analytics:read and access to this website; writes need goals:write or "
            "payments:write), or tracking is suspended for this website.",
            message,
        )
    if isinstance(error, e.ApiTimeoutError):
        return Advice("No answer in time", f"{message}. Retrying on the next refresh; r retries now.", message)
    if isinstance(error, e.NetworkError):
        # Whether older data is still shown is for the screen to say (it knows its age).
        return Advice("Offline", f"{message}. Retrying on the next refresh; r retries now.", message)
    if isinstance(error, e.RateLimitedError):
        wait = f" for {error.retry_after:.0f} s" if error.retry_after else ""
        return Advice("Rate limited", f"DataFast asked us to slow down{wait}. {message}", message)
    if isinstance(error, e.ServerError):
        return Advice(f"DataFast server error {error.status}", f"{message}. Retrying on the next refresh.", message)
    if isinstance(error, e.NotFoundError):
        return Advice("Not found", message)
    if isinstance(error, e.BadRequestError):
        return Advice("Request refused", message)
    if isinstance(error, e.MalformedResponseError):
        return Advice("Unexpected answer from DataFast", message)
    if isinstance(error, e.ConfigurationError):
        return Advice("Configuration problem", message)
    if isinstance(error, e.DataFastError):
        return Advice("Error", message)
    return Advice("Unexpected problem", f"{type(error).__name__}: {message} (details in the log file)")
