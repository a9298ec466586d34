"""Turning overview data into what the Overview screen draws: KPI texts, chart series, table rows.

Kept apart from the screen so it is plain code: testable without a terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from datafast_tui.api.catalogue import breakdown_spec
from datafast_tui.api.errors import (
    BadRequestError,
    DataFastError,
    ForbiddenError,
    NetworkError,
    RateLimitedError,
    ServerError,
    UnauthorizedError,
)
from datafast_tui.api.filters import Filter, FilterError
from datafast_tui.api.models import Breakdown, Timeseries
from datafast_tui.data.breakdown_compare import CHANGE_KEY, PREVIOUS_PREFIX
from datafast_tui.data.kpis import (
    METRICS_BY_NAME,
    format_value,
)
from datafast_tui.formatting import (
    compact,
    money,
)
from datafast_tui.widgets.chart import ChartData, ChartSeries
from datafast_tui.widgets.top_table import TopRow

#: Metrics the timeseries endpoint can chart (revenue per visitor is derived from two of them).
CHART_METRICS = ("visitors", "sessions", "revenue", "revenue_per_visitor")


def series_for(metric: str, series: Timeseries) -> list[float]:
    """The metric's values per point; revenue per visitor is revenue / visitors of each point."""
    if metric == "revenue_per_visitor":
        return [
            (p.values.get("revenue", 0.0) / v) if (v := p.values.get("visitors", 0.0)) else 0.0
            for p in series.points
        ]
    return series.series(metric)


def x_labels(series: Timeseries, interval: str, zone: tzinfo) -> tuple[str, ...]:
    """Point labels in the site timezone (our own, not the API's `name`: that text is untrusted)."""
    if not series.points:
        return ()
    first, last = series.points[0].timestamp.astimezone(zone), series.points[-1].timestamp.astimezone(zone)
    spans_days = first.date() != last.date()
    formats = {
        "hour": "%b %d %H:%M" if spans_days else "%H:%M",
        "day": "%b %d",
        "week": "%b %d",
        "month": "%b %Y",
    }
    fmt = formats.get(interval, "%b %d")
    return tuple(p.timestamp.astimezone(zone).strftime(fmt) for p in series.points)


#: How each interval's bucket under way is named in the chart's legend.
UNDER_WAY = {"hour": "this hour", "day": "today", "week": "this week", "month": "this month"}


def last_point_unfinished(series: Timeseries, interval: str, zone: tzinfo, now: datetime | None) -> bool:
    """Whether the last point is a bucket still under way at `now` (its count is not final)."""
    if now is None or not series.points:
        return False
    start = series.points[-1].timestamp.astimezone(zone)
    local = now.astimezone(zone)
    match interval:
        case "hour":
            return (start.date(), start.hour) == (local.date(), local.hour)
        case "day":
            return start.date() == local.date()
        case "week":
            return start.date() <= local.date() < start.date() + timedelta(days=7)
        case _:
            return (start.year, start.month) == (local.year, local.month)


def chart_data(metric: str, series: Timeseries | None, previous: Timeseries | None, interval: str,
               zone: tzinfo, currency: str | None, now: datetime | None = None) -> ChartData:
    """The lines to draw: the metric, its revenue parts when it is revenue, the previous period.

    A last point still under way (`now` falls in it) is drawn dotted and named in the legend:
    half a day's visitors is not a fall.
    """
    if series is None:
        return ChartData((), (), message="loading…")
    # What the API did, not what was asked: it upgrades a same-day range to hourly points.
    interval = series.interval if series.interval in UNDER_WAY else interval
    info = METRICS_BY_NAME[metric]
    unfinished = last_point_unfinished(series, interval, zone, now)
    lines = [ChartSeries(info.title, tuple(series_for(metric, series)), "primary", unfinished=unfinished)]
    if metric == "revenue":
        parts = [(p.revenue_breakdown.new, p.revenue_breakdown.renewal, p.revenue_breakdown.refund)
                 if p.revenue_breakdown is not None else (0.0, 0.0, 0.0) for p in series.points]
        for index, (label, colour) in enumerate((("new", "success"), ("renewal", "accent"), ("refund", "error"))):
            lines.append(ChartSeries(label, tuple(row[index] for row in parts), colour, unfinished=unfinished))
    if previous is not None:
        lines.append(ChartSeries("previous period", tuple(series_for(metric, previous)), "#808080", dim=True))
    formatter: Callable[[float], str]
    if info.kind == "money":
        formatter = lambda v: money(v, currency, cents=v < 10)  # noqa: E731
    else:
        formatter = compact
    note = f"┈ {UNDER_WAY.get(interval, 'the last point')} so far" if unfinished else ""
    return ChartData(tuple(lines), x_labels(series, interval, zone), y_format=formatter, note=note,
                     value_format=lambda v: format_value(info, v, currency))


def panel_problem(error: DataFastError) -> str:
    """What a panel says when its part failed. The screen's message line explains a failure of
    the connection (key, network, server) once; every panel repeating it said nothing more."""
    if isinstance(error, UnauthorizedError | ForbiddenError | NetworkError | ServerError | RateLimitedError):
        return "not available (see above)"
    if isinstance(error, BadRequestError):
        return "refused (see the query bar)"
    return f"{error.kind}: {error.message}"


# -- top tables ------------------------------------------------------------------------------

def _filter(dimension: str, value: str) -> Filter | None:
    try:
        return Filter(dimension, "is", (value,))
    except FilterError:
        return None  # an empty or comma-holding value cannot be sent as a filter


def top_rows(endpoint: str, breakdown: Breakdown) -> list[TopRow]:
    """Rows of a top table: the label that names each row and the filter Enter adds (the catalogue's).

    A row that also carries a hostname (pages) shows it in front of the path when the
    rows come from more than one host; the filter stays the path alone.
    """
    spec = breakdown_spec(endpoint)
    with_host = "hostname" in spec.labels and spec.label != "hostname" and len(
        {r.labels.get("hostname") for r in breakdown.rows}) > 1
    rows = []
    for row in breakdown.rows:
        value = row.labels.get(spec.label, "")
        host = row.labels.get("hostname") if with_host else None
        label = f"{host}{value}" if host else value
        rows.append(TopRow(label=label, visitors=row.visitors, filter=_filter(spec.dimension, value),
                           previous=row.metrics.get(PREVIOUS_PREFIX + "visitors"), change=row.metrics.get(CHANGE_KEY)))
    return rows
