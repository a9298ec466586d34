"""Everything the Overview screen shows, loaded concurrently through the store, part by part.

Each part carries its own result or error, so one failing request (say the referrers table)
leaves the rest of the screen working; each lands on its own, so the KPIs paint before the
chart and the tables. The data carries the query it answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo

from datafast_tui.api.dates import EARLIEST_DAY, DateRange
from datafast_tui.api.errors import DataFastError
from datafast_tui.api.models import (
    Breakdown,
    Overview,
    Pagination,
    Timeseries,
    TimeseriesPoint,
)
from datafast_tui.api.query import Query
from datafast_tui.data.breakdown_compare import load_previous
from datafast_tui.data.outcome import Part, part
from datafast_tui.data.store import AnalyticsStore

#: What the timeseries endpoint offers (the docs list these four).
SERIES_FIELDS = ("visitors", "sessions", "revenue", "conversion_rate")
#: Overview metrics without a series of their own: their trend comes from sub-period overviews
#: (conversion rate has one: its trend comes from the chart's series).
TREND_METRICS = ("bounce_rate", "avg_session_duration")
TREND_POINTS = 6
#: KPIs whose sparkline is drawn from the chart's series (no request of its own).
SERIES_TRENDS = ("visitors", "sessions", "revenue", "revenue_per_visitor", "conversion_rate")
#: Requests the budget keeps free before the trend overviews are fetched (the live count,
#: the next screen's first load).
TREND_BUDGET_RESERVE = 20
#: Requests kept free before the previous period's weekly or monthly line is fetched (its
#: numbers, the KPI deltas, are always fetched; the line is the part that can wait).
PREVIOUS_SERIES_RESERVE = 10
#: Requests kept back before the top tables ask for the previous period's rows (compare on).
PREVIOUS_TOPS_RESERVE = 20
TOP_TABLES = ("pages", "referrers", "countries")
#: Rows fetched per top table: as many as the tallest layout shows (one request whatever the height).
TOP_ROWS = 10


@dataclass(frozen=True)
class OverviewData:
    """What the Overview shows for one query and chart interval; a part not yet landed is `Part()`."""

    query: Query
    interval: str
    overview: Part[Overview]
    series: Part[Timeseries]
    previous: Part[Overview] | None = None
    previous_series: Part[Timeseries] | None = None
    tops: dict[str, Part[Breakdown]] = field(default_factory=dict)

    def answers(self, query: Query, interval: str) -> bool:
        """Whether this is the data of `query` charted by `interval` (else it is another query's)."""
        return self.query == query and self.interval == interval


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


#: Intervals whose buckets start at the range's own bounds: the current and previous periods
#: can share one request (the day or hour boundaries of both are the buckets').
SHARED_SERIES_INTERVALS = ("hour", "day")

PartListener = Callable[[str, OverviewData], None]


def series_plan(query: Query, interval: str) -> DateRange | None:
    """The one range to ask the timeseries for when comparing: the previous period and this one
    together (None: two requests are needed, or there is no comparison)."""
    previous = query.comparison() if query.compare else None
    if previous is None or interval not in SHARED_SERIES_INTERVALS:
        return None
    return DateRange(previous.range.start, query.range.end)


def split_series(series: Timeseries, rng: DateRange, zone: tzinfo) -> tuple[Timeseries, Timeseries]:
    """(previous, current): the points of a two-period series before and from `rng`'s start.

    Totals are left out: they would be of both periods.
    """
    start = rng.start
    if isinstance(start, datetime):
        before = [p for p in series.points if p.timestamp < start]
    else:
        before = [p for p in series.points if p.timestamp.astimezone(zone).date() < start]
    current = series.points[len(before):]

    def part_of(points: Sequence[TimeseriesPoint]) -> Timeseries:
        return replace(series, points=tuple(points), totals={}, totals_revenue_breakdown=None,
                       pagination=Pagination(len(points), 0, len(points)))

    return part_of(before), part_of(current)


def clip_series(series: Timeseries, rng: DateRange) -> Timeseries:
    """The points inside `rng`: all time's leading empty buckets (before the site's first data)
    and a bucket starting at or after a time span's end (the API's inclusive end can make one)
    are left out."""
    points = series.points
    if rng.is_all_time:
        first = next((i for i, p in enumerate(points) if any(v for v in p.values.values())), len(points))
        points = points[first:]
    elif isinstance(rng.end, datetime):
        points = tuple(p for p in points if p.timestamp < rng.end)
    if len(points) == len(series.points):
        return series
    return replace(series, points=points, pagination=Pagination(len(points), 0, len(points)))


def series_range(rng: DateRange, interval: str, today: date) -> DateRange:
    """The range to ask the timeseries for. All time is sent as an explicit range: without
    startAt/endAt the API charts a default window (24 hours for hour, 30 days for day and
    week, 12 months for month), not all time. Months from EARLIEST_DAY are one page (~330
    points) and the empty ones before the site's first data are dropped (clip_series); finer
    intervals over all time start at the first data the monthly series found."""
    if not rng.is_all_time:
        return rng
    return DateRange(EARLIEST_DAY, today)


async def first_data_day(store: AnalyticsStore, query: Query, today: date, *, refresh: bool = False) -> date | None:
    """The first day of the month the site's data starts in (None: no data, or it failed).

    One monthly series over all years, without filters, so every filter and interval of the
    site shares it (the store caches it like any answer).
    """
    site_wide = Query(range=DateRange(EARLIEST_DAY, today), timezone=query.timezone)
    try:
        result = await store.timeseries(site_wide, fields=SERIES_FIELDS, interval="month", refresh=refresh)
    except DataFastError:
        return None
    clipped = clip_series(result.value, DateRange(None, None))
    return clipped.points[0].timestamp.date() if clipped.points else None


async def load_overview(store: AnalyticsStore, query: Query, interval: str, zone: tzinfo, *,
                        refresh: bool = False, tops: tuple[str, ...] = TOP_TABLES,
                        on_part: PartListener | None = None, today: date | None = None) -> OverviewData:
    """The KPIs, the series, the previous period (when comparing) and the top tables, concurrently.

    `on_part(name, data)` follows each part as it lands ("overview", "series", "previous",
    "top:<endpoint>"), so the screen paints what it has without waiting for the rest. With
    compare on and an hourly or daily chart, one timeseries request covers both periods:
    a load costs 5 requests, 6 with compare (over weeks or months, a 7th for the previous
    period's line while the budget has room; without it the chart says so).
    """
    previous_query = query.comparison() if query.compare else None
    today = today or datetime.now(zone).date()
    data = OverviewData(query=query, interval=interval, overview=Part(), series=Part(),
                        previous=Part() if previous_query is not None else None,
                        previous_series=Part() if previous_query is not None else None,
                        tops={name: Part() for name in tops})

    def land(name: str, **changes: object) -> None:
        nonlocal data
        if name.startswith("top:"):
            changes = {"tops": {**data.tops, name[4:]: changes["top"]}}
        data = replace(data, **changes)  # type: ignore[arg-type]
        if on_part is not None:
            on_part(name, data)

    async def overview() -> None:
        land("overview", overview=await part(store.overview(query, refresh=refresh)))

    async def previous_overview() -> None:
        assert previous_query is not None
        land("previous", previous=await part(store.overview(previous_query, refresh=refresh)))

    async def series() -> None:
        shared = series_plan(query, interval)
        if shared is not None:
            both = await part(store.timeseries(query.with_range(shared), fields=SERIES_FIELDS, interval=interval,
                                               refresh=refresh))
            if both.result is not None:
                earlier, current = split_series(clip_series(both.result.value, shared), query.range, zone)
                land("series", series=Part(replace(both.result, value=current)),
                     previous_series=Part(replace(both.result, value=earlier)))
            else:
                land("series", series=both, previous_series=both)
            return
        asked = query.with_range(series_range(query.range, interval, today))
        if query.range.is_all_time and (interval != "month" or query.filters):
            start = await first_data_day(store, query, today, refresh=refresh)
            asked = query.with_range(DateRange(start, today)) if start is not None else asked
        calls = [part(store.timeseries(asked, fields=SERIES_FIELDS, interval=interval, refresh=refresh))]
        # Weeks and months of two periods cannot share one request (a bucket would straddle the
        # periods): the previous period's line is a seventh request, sent only with budget room.
        if previous_query is not None and store.budget_room() > PREVIOUS_SERIES_RESERVE:
            calls.append(part(store.timeseries(previous_query, fields=SERIES_FIELDS, interval=interval,
                                               refresh=refresh)))
        outcomes = await asyncio.gather(*calls)
        land("series", series=_clipped(outcomes[0], query.range),
             previous_series=_clipped(outcomes[1], previous_query.range) if len(outcomes) > 1 else None)

    jobs: list[Awaitable[None]] = [overview(), series(),
                                   load_tops(store, query, tops, refresh=refresh,
                                             on_part=lambda name, outcome: land(f"top:{name}", top=outcome))]
    if previous_query is not None:
        jobs.insert(1, previous_overview())
    await asyncio.gather(*jobs)
    return data


def _clipped(outcome: Part[Timeseries], rng: DateRange) -> Part[Timeseries]:
    if outcome.result is None:
        return outcome
    return replace(outcome, result=replace(outcome.result, value=clip_series(outcome.result.value, rng)))


async def load_tops(store: AnalyticsStore, query: Query, names: Sequence[str], *, refresh: bool = False,
                    on_part: Callable[[str, Part[Breakdown]], None]) -> None:
    """The top rows of each breakdown in `names`, each handed to `on_part` as it lands."""

    compare = query.compare and query.comparison() is not None

    async def one(name: str) -> None:
        async def current() -> Part[Breakdown]:
            return await part(store.breakdown(name, query, limit=TOP_ROWS, refresh=refresh))

        # With compare on, each row's change too: the previous period's rows, one request per
        # table (the same one the Breakdowns tab asks, so it is cached for it), while the budget has room.
        if not compare or store.budget_room() <= PREVIOUS_TOPS_RESERVE:
            on_part(name, await current())
            return
        outcome, previous = await asyncio.gather(current(), load_previous(store, name, query, refresh=refresh))
        if previous is not None and outcome.result is not None:
            outcome = replace(outcome, result=replace(outcome.result, value=previous.enrich_page(outcome.value)))
        on_part(name, outcome)

    await asyncio.gather(*(one(name) for name in names))


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
        if rng.end - rng.start < timedelta(days=2):
            return []  # "Last 24 hours": its whole days would be other hours than the range's
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
    async def one(rng: DateRange) -> Part[Overview]:
        # The request's coroutine is made when its task runs: made here for all ranges at once, those
        # of a load cancelled before its tasks started were never awaited (a RuntimeWarning).
        return await part(store.overview(query.with_range(rng), fields=TREND_METRICS, refresh=refresh))

    results = await asyncio.gather(*(one(r) for r in ranges))
    trends: dict[str, list[float]] = {m: [] for m in TREND_METRICS}
    for outcome in results:
        if outcome.value is None:
            return {}  # a hole would draw a false dip; show no trend rather than a wrong one
        for metric in TREND_METRICS:
            trends[metric].append(outcome.value.metric(metric) or 0.0)
    return trends
