"""`analytics/overview`, `analytics/timeseries` and `analytics/metadata`.

Quirks reproduced from the docs: overview and timeseries give `currency` as the symbol
("$"), metadata as the code ("USD"); overview's `conversion_rate` is the percentage of
visitors who paid, timeseries' is revenue per visitor (the docs' 27351 / 14213 = 1.92).
Overview also sends `pageviews` and `payments` (a count), as the live API does, unless
`fields` asks for specific fields. Timeseries sends `currency: null` when no money field
was asked for (as in the docs' single-field example).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from datafast_tui.demo.buckets import label, make_buckets
from datafast_tui.demo.errors import success
from datafast_tui.demo.filters import parse_filters, scope_for
from datafast_tui.demo.metrics import (
    RevenueTotals,
    bucket_revenue,
    bucket_sessions,
    earliest_event_ms,
    money,
    revenue_totals,
    session_totals,
    visitors_and_sessions,
)
from datafast_tui.demo.params import (
    ApiRequest,
    default_window,
    parse_fields,
    parse_interval,
    parse_pagination,
    parse_range,
    parse_timezone,
)
from datafast_tui.demo.site import (
    SITE,  # currency and timezone: the same in every dataset
)

if TYPE_CHECKING:
    from datafast_tui.demo.database import DemoDatabase

OVERVIEW_FIELDS = (
    "visitors",
    "sessions",
    "bounce_rate",
    "avg_session_duration",
    "currency",
    "revenue",
    "revenue_per_visitor",
    "conversion_rate",
    "payments",  # today's pages add it to `fields`
)
OVERVIEW_EXTRAS = ("pageviews",)
TIMESERIES_FIELDS = ("visitors", "sessions", "revenue", "payments", "conversion_rate", "name")
TIMESERIES_DEFAULT = ("visitors", "sessions", "revenue", "conversion_rate")


def _ratio(numerator: float, denominator: float, scale: float = 1.0) -> float:
    return round(numerator / denominator * scale, 2) if denominator else 0


def overview(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    fields = parse_fields(req.query, OVERVIEW_FIELDS, OVERVIEW_FIELDS + OVERVIEW_EXTRAS)
    tz = parse_timezone(req.query)
    scope = scope_for(parse_filters(req.items), db.names)
    with db.read() as (conn, now):
        lo, hi = parse_range(req.query, tz, now, earliest_event_ms(conn, db.start_ms)).clipped(now)
        s = session_totals(conn, lo, hi, scope)
        r = revenue_totals(conn, lo, hi, scope)
    values: dict[str, object] = {
        "visitors": s.visitors,
        "sessions": s.sessions,
        "bounce_rate": _ratio(s.bounces, s.sessions, 100),
        "avg_session_duration": round(s.avg_duration_ms, 2),
        "currency": SITE.currency_symbol,
        "revenue": money(r.revenue),
        "revenue_per_visitor": _ratio(r.revenue, s.visitors),
        "conversion_rate": _ratio(r.paying_visitors, s.visitors, 100),
        "pageviews": s.pageviews,
        "payments": r.payments,
    }
    return success([{name: values[name] for name in fields}])


def timeseries(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    fields = parse_fields(req.query, TIMESERIES_FIELDS, TIMESERIES_DEFAULT)
    if "revenue" in fields and "payments" not in fields:
        fields.insert(fields.index("revenue") + 1, "payments")  # "Requesting revenue automatically includes payments"
    interval = parse_interval(req.query)
    tz = parse_timezone(req.query)
    limit, offset = parse_pagination(req.query)
    scope = scope_for(parse_filters(req.items), db.names)
    wants_money = "revenue" in fields or "conversion_rate" in fields or "payments" in fields
    wants_people = "visitors" in fields or "sessions" in fields or "conversion_rate" in fields
    with db.read() as (conn, now):
        if req.query.get("startAt") or req.query.get("endAt"):
            time_range = parse_range(req.query, tz, now, earliest_event_ms(conn, db.start_ms))
        else:  # no range: not all time (as overview and breakdowns read it), a default window
            time_range = default_window(interval, tz, now)
        if time_range.same_day:
            interval = "hour"  # as the live API does for same-day queries
        buckets = make_buckets(time_range, interval)
        page = buckets[offset : offset + limit]
        # Buckets reaching past now hold nothing yet: query only up to now.
        spans = [(b.lo, min(b.hi, now + 1)) for b in page]
        lo, hi = time_range.clipped(now)
        people = bucket_sessions(conn, spans, scope) if wants_people and page else {}
        cash = bucket_revenue(conn, spans, scope) if wants_money and page else {}
        total_visitors, total_sessions = visitors_and_sessions(conn, lo, hi, scope)
        total_cash = revenue_totals(conn, lo, hi, scope)
    rows = []
    for i, bucket in enumerate(page):
        visitors, sessions = people.get(i, (0, 0))
        name, timestamp = label(bucket, interval, tz)
        rows.append({**_point(fields, visitors, sessions, cash.get(i), name), "timestamp": timestamp})
    totals = _point(fields, total_visitors, total_sessions, total_cash)
    return {
        "status": "success",
        "fields": fields,
        "interval": interval,
        "timezone": tz.key,
        "currency": SITE.currency_symbol if wants_money else None,
        "totals": totals,
        "data": rows,
        "pagination": {"limit": limit, "offset": offset, "total": len(buckets)},
    }


def _point(
    fields: list[str], visitors: int, sessions: int, cash: RevenueTotals | None, label: str | None = None
) -> dict[str, object]:
    """One timeseries row (`label` given: always named) or the totals, fields in the requested order."""
    cash = cash or RevenueTotals()
    revenue = cash.revenue
    point: dict[str, object] = {}
    for name in (*fields, "name") if label is not None and "name" not in fields else fields:
        if name == "name" and label is not None:
            point["name"] = label
        elif name == "visitors":
            point["visitors"] = visitors
        elif name == "sessions":
            point["sessions"] = sessions
        elif name == "revenue":
            point["revenue"] = money(revenue)
            point["revenueBreakdown"] = cash.breakdown()
        elif name == "payments":
            point["payments"] = cash.payments
        elif name == "conversion_rate":
            point["conversion_rate"] = _ratio(revenue, visitors)
    return point


def metadata(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    site = db.names.site
    return success(
        [
            {
                "domain": site.domain,
                "timezone": site.timezone,
                "name": site.name,
                "kpiColorScheme": site.kpi_color_scheme,
                "kpi": site.kpi,
                "currency": site.currency,
                "logo": site.logo,
            }
        ]
    )
