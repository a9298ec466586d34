"""The Realtime screen's own status texts: live/paused/offline, the request budget, and the scope.

Plain functions of the poll schedule and the feed, so every state's wording is testable
without a terminal.
"""

from __future__ import annotations

from datetime import tzinfo

from textual.content import Content

from datafast_tui.api.errors import NetworkError, RateLimitedError
from datafast_tui.api.query import Query
from datafast_tui.api.responses import ServerBudget
from datafast_tui.data.realtime_feed import RealtimeFeed
from datafast_tui.data.realtime_schedule import (
    PollSchedule,
    budget_share,
    budget_text,
    interval_text,
)
from datafast_tui.error_advice import advise
from datafast_tui.screens.realtime_view import clock_time

KEYS_HINT = "p pause · + slower · - faster · r now"


def scope_text(query: Query) -> Content:
    """Says plainly that the global range and filters do not apply here (the API ignores them).

    What it shows comes first: at 80 columns the end of the line is cut."""
    current = query.range.label()
    if query.filters:
        count = len(query.filters)
        current += f" + {count} filter{'s' if count != 1 else ''}"
    return Content.assemble(
        ("Realtime shows the last 5–10 minutes", "bold $text-warning"),
        (f" · not the date range or filters ({current})", "$text-muted"),
    )


def state_badge(schedule: PollSchedule, feed: RealtimeFeed) -> Content:
    if schedule.paused:
        return Content.styled("❚❚ PAUSED", "bold $text-warning")
    if schedule.failures:
        if isinstance(schedule.error, RateLimitedError):
            return Content.styled("! RATE LIMITED", "bold $text-error")
        if isinstance(schedule.error, NetworkError):
            return Content.styled("✕ OFFLINE", "bold $text-error")
        return Content.styled("! ERROR", "bold $text-error")
    if feed.last_ok is None:
        return Content.styled("○ CONNECTING", "bold $text-muted")
    return Content.styled("● LIVE", "bold $text-success")


def server_budget_text(server: ServerBudget | None, now: float, *, short: bool = False) -> str:
    """"· DataFast says 41 of 60 left, resets in 23 s" from the last answer's headers ("" without)."""
    if server is None:
        return ""
    of = f" of {server.limit}" if server.limit else ""
    reset = ""
    if server.resets_at is not None:
        reset = f", resets in {max(0, round(server.resets_at - now))} s"
    return f" · server: {server.remaining}{of} left{reset}" if short else \
        f" · DataFast says {server.remaining}{of} left{reset}"


def status_content(schedule: PollSchedule, feed: RealtimeFeed, zone: tzinfo, next_delay: float | None,
                   *, narrow: bool = False, server: ServerBudget | None = None, now: float = 0.0) -> Content:
    """Three lines: the state and last update; the request budget (ours, and the server's word
    from its rate-limit headers when it sends them); the keys that control polling."""
    badge = state_badge(schedule, feed)
    updated = f"  updated {clock_time(feed.last_ok, zone)}" if feed.last_ok is not None else ""
    if schedule.paused:
        detail = updated
        budget = "paused: no requests until you press p"
    else:
        detail = updated
        if schedule.failures and next_delay is not None:
            detail += f"  next try in {interval_text(round(next_delay))}"
        budget = budget_text(schedule.interval, short=narrow) + server_budget_text(server, now, short=narrow)
    # Half the limit or more leaves little for the other screens (and other tools on the key).
    budget_style = "$text-warning" if not schedule.paused and budget_share(schedule.interval) >= 0.5 else ""
    return Content.assemble(
        badge, (detail, "$text-muted"), "\n",
        (budget[0].upper() + budget[1:], budget_style), "\n",
        (KEYS_HINT, "$text-muted"),
    )


def trouble_text(schedule: PollSchedule, feed: RealtimeFeed, zone: tzinfo, next_delay: float | None) -> str | None:
    """"Offline since 15:31:02 (last data at 15:30:55) …" while polls fail; None when they work."""
    if not schedule.failures or schedule.error is None:
        return None
    advice = advise(schedule.error)
    since = clock_time(feed.failing_since, zone)
    last = f"last data at {clock_time(feed.last_ok, zone)}" if feed.last_ok is not None else "no data yet"
    if schedule.paused:
        retry = "Paused; p tries again."
    elif next_delay is not None:
        retry = f"Next try in {interval_text(round(next_delay))}."
    else:
        retry = ""
    why = advice.reason or advice.detail  # the retry advice is `retry` here
    why = why[:1].upper() + why[1:] + ("" if why.endswith(".") else ".")
    return f"{advice.title} since {since} ({last}); the lists below are kept. {retry} {why}"
