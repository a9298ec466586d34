"""Everything the Overview screen shows, loaded concurrently through the store.

Each part carries its own result or error, so one failing request (say the referrers table)
leaves the rest of the screen working.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from datafast_tui.api.dates import DateRange
from datafast_tui.api.models import Breakdown, Overview, Timeseries
from datafast_tui.api.query import Query
from datafast_tui.data.outcome import Part, part
from datafast_tui.data.store import AnalyticsStore

#: What the timeseries endpoint offers (the docs list these four).
SERIES_FIELDS = ("visitors", "sessions", "revenue", "conversion_rate")
#: Overview metrics without a series of their own: their trend comes from sub-period overviews.
TREND_METRICS = ("bounce_rate", "avg_session_duration", "conversion_rate")
TREND_POINTS = 6
TOP_TABLES = ("pages", "referrers", "countries")
TOP_ROWS = 5


@dataclass(frozen=True)
class OverviewData:
    query: Query
    interval: str
    overview: Part[Overview]
    series: Part[Timeseries]
    previous: Part[Overview] | None = None
    previous_series: Part[Timeseries] | None = None
    tops: dict[str, Part[Breakdown]] = field(default_factory=dict)


def default_interval(rng: DateRange) -> str:
    """Hourly for a day or two, daily up to a quarter, weekly up to a year and a bit, else monthly."""
    days = rng.days
    if rng.is_all_time:
        return "month"
    if days <= 2:
        return "hour"
    if days <= 92:
        return "day"
    if days <= 400:
        return "week"
    return "month"


def interval_allowed(interval: str, rng: DateRange) -> bool:
    """Refuse choices that make a useless chart: hours over months, months within a week."""
    days = rng.days if not rng.is_all_time else 10_000
    if interval == "hour":
        return days <= 31
    if interval == "month":
        return days >= 60
    if interval == "week":
        return days >= 14
    return True


async def load_overview(store: AnalyticsStore, query: Query, interval: str, *, refresh: bool = False,
                        tops: tuple[str, ...] = TOP_TABLES) -> OverviewData:
    """The KPIs, the series, the previous period (when comparing) and the top tables, concurrently."""
    previous_query = query.comparison() if query.compare else None
    calls: list[Awaitable[Part]] = [
        part(store.overview(query, refresh=refresh)),
        part(store.timeseries(query, fields=SERIES_FIELDS, interval=interval, refresh=refresh)),
    ]
    if previous_query is not None:
        calls.append(part(store.overview(previous_query, refresh=refresh)))
        calls.append(part(store.timeseries(previous_query, fields=SERIES_FIELDS, interval=interval,
                                           refresh=refresh)))
    calls += [part(store.breakdown(name, query, limit=TOP_ROWS, refresh=refresh)) for name in tops]
    results = await asyncio.gather(*calls)
    overview, series = results[0], results[1]
    rest = results[2:]
    previous = previous_series = None
    if previous_query is not None:
        previous, previous_series, rest = rest[0], rest[1], rest[2:]
    return OverviewData(query=query, interval=interval, overview=overview, series=series, previous=previous,
                        previous_series=previous_series, tops=dict(zip(tops, rest)))


def trend_ranges(rng: DateRange, today: date, first_day: date | None = None) -> list[DateRange]:
    """Up to TREND_POINTS consecutive sub-ranges covering `rng` (days that have not happened are left out).

    All time is read as `first_day`..`today`. Ranges shorter than two days have no trend:
    the overview endpoint counts whole days.
    """
    if rng.is_all_time:
        if first_day is None:
            return []
        start, end = first_day, today
    elif rng.is_days:
        start, end = rng.start, min(rng.end, today)  # type: ignore[assignment, type-var]
    else:
        assert isinstance(rng.start, datetime) and isinstance(rng.end, datetime)
        start, end = rng.start.date(), min(rng.end.date(), today)
    days = (end - start).days + 1
    if days < 2:
        return []
    chunks = min(TREND_POINTS, days)
    bounds = [start + timedelta(days=round(i * days / chunks)) for i in range(chunks + 1)]
    return [DateRange(a, b - timedelta(days=1)) for a, b in zip(bounds, bounds[1:]) if b > a]


async def load_trends(store: AnalyticsStore, query: Query, ranges: list[DateRange], *,
                      refresh: bool = False) -> dict[str, list[float]]:
    """Per metric in TREND_METRICS, its value in each sub-range (one overview request per range)."""
    if not ranges:
        return {}
    results = await asyncio.gather(*(
        part(store.overview(query.with_range(r), fields=TREND_METRICS, refresh=refresh)) for r in ranges
    ))
    trends: dict[str, list[float]] = {m: [] for m in TREND_METRICS}
    for outcome in results:
        if outcome.value is None:
            return {}  # a hole would draw a false dip; show no trend rather than a wrong one
        for metric in TREND_METRICS:
            trends[metric].append(outcome.value.metric(metric) or 0.0)
    return trends
