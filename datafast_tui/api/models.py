"""Typed, immutable models of the analytics responses (metadata, overview, timeseries, breakdowns, writes).

Each model has a `from_json` that takes the envelope's payload and raises
`MalformedResponseError` naming the bad field. Unknown fields are kept in `extra`.
Realtime and visitor models live in `models_realtime.py` and `models_visitor.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from datafast_tui.api import parsing as p
from datafast_tui.api.errors import MalformedResponseError


def first_object(data: Any, path: str) -> p.JsonObject:
    """Several endpoints wrap a single object in a one-element list: `"data": [{...}]`."""
    if isinstance(data, list):
        if not data:
            raise MalformedResponseError(f"field {path!r} is an empty list")
        data = data[0]
    return p.as_object(data, path)


@dataclass(frozen=True)
class SiteMetadata:
    domain: str
    timezone: str
    name: str
    currency: str
    kpi: str | None = None
    kpi_color_scheme: str | None = None
    logo: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any) -> SiteMetadata:
        obj = first_object(data, "data")
        known = {"domain", "timezone", "name", "currency", "kpi", "kpiColorScheme", "logo"}
        domain = p.str_or_empty(obj, "domain", "data")
        return cls(
            domain=domain,
            timezone=p.opt_str(obj, "timezone", "data") or "UTC",
            name=p.opt_str(obj, "name", "data") or domain,
            currency=p.opt_str(obj, "currency", "data") or "USD",
            kpi=p.opt_str(obj, "kpi", "data"),
            kpi_color_scheme=p.opt_str(obj, "kpiColorScheme", "data"),
            logo=p.opt_str(obj, "logo", "data"),
            extra=p.extras(obj, known),
        )


#: Overview metrics in the order the docs list them (all optional: `fields` may select a few).
OVERVIEW_METRICS = (
    "visitors", "sessions", "bounce_rate", "avg_session_duration",
    "revenue", "revenue_per_visitor", "conversion_rate",
)


@dataclass(frozen=True)
class Overview:
    visitors: int | None = None
    sessions: int | None = None
    bounce_rate: float | None = None
    avg_session_duration: float | None = None  # milliseconds
    currency: str | None = None  # a symbol such as "$" on this endpoint
    revenue: float | None = None
    revenue_per_visitor: float | None = None
    conversion_rate: float | None = None  # percent: 1.15 means 1.15 %
    pageviews: int | None = None  # sent by the live API, not documented
    payments: int | None = None  # sent by the live API, not documented
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any) -> Overview:
        if data == []:
            # The live API's answer for a site with no traffic in the range: nothing happened,
            # which is zeros, not a malformed answer.
            return cls(visitors=0, sessions=0, bounce_rate=0.0, avg_session_duration=0.0, revenue=0.0,
                       revenue_per_visitor=0.0, conversion_rate=0.0, payments=0)
        obj = first_object(data, "data")
        ints = ("visitors", "sessions", "pageviews", "payments")
        floats = ("bounce_rate", "avg_session_duration", "revenue", "revenue_per_visitor", "conversion_rate")
        values: dict[str, Any] = {k: p.opt_int(obj, k, "data") for k in ints}
        values.update({k: p.opt_number(obj, k, "data") for k in floats})
        values["currency"] = p.opt_str(obj, "currency", "data")
        return cls(**values, extra=p.extras(obj, set(values)))

    def metric(self, name: str) -> float | None:
        value = getattr(self, name, None)
        return None if value is None else float(value)


@dataclass(frozen=True)
class RevenueBreakdown:
    new: float = 0.0
    renewal: float = 0.0
    refund: float = 0.0

    @classmethod
    def from_json(cls, data: Any, path: str) -> RevenueBreakdown | None:
        if data is None:
            return None
        obj = p.as_object(data, path)
        return cls(
            new=p.opt_number(obj, "new", path, 0.0) or 0.0,
            renewal=p.opt_number(obj, "renewal", path, 0.0) or 0.0,
            refund=p.opt_number(obj, "refund", path, 0.0) or 0.0,
        )


@dataclass(frozen=True)
class Pagination:
    """Where a page sits. The API pages two ways: `{limit, offset, total}` (analytics) and
    `{limit, offset, hasMore}` (the visitors list, no total). Without a total, `total` is the
    rows known to exist: those up to this page, plus one more page while `hasMore` says so,
    and `exact` is False; a reader keeps paging until a page says there is no more."""

    limit: int
    offset: int
    total: int
    exact: bool = True

    @classmethod
    def from_json(cls, data: Any, received: int) -> Pagination:
        """`received`: the rows of this page."""
        if data is None:
            return cls(limit=received, offset=0, total=received)
        obj = p.as_object(data, "pagination")
        limit = p.opt_int(obj, "limit", "pagination", received) or 0
        offset = p.opt_int(obj, "offset", "pagination", 0) or 0
        if obj.get("total") is None and "hasMore" in obj:
            more = p.opt_bool(obj, "hasMore", "pagination")
            return cls(limit, offset, offset + received + (max(limit, 1) if more else 0), exact=False)
        return cls(limit, offset, p.opt_int(obj, "total", "pagination", received) or 0)

    @property
    def has_more(self) -> bool:
        return self.offset + self.limit < self.total


@dataclass(frozen=True)
class TimeseriesPoint:
    timestamp: datetime
    name: str
    values: Mapping[str, float]
    revenue_breakdown: RevenueBreakdown | None = None

    def value(self, metric: str) -> float | None:
        return self.values.get(metric)


def _numeric_fields(obj: p.JsonObject, path: str, skip: set[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in obj.items():
        if key in skip or value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = float(value)
        elif isinstance(value, (str, bool, list, Mapping)):
            continue  # labels and nested objects are read elsewhere
        else:
            raise p.fail(f"{path}.{key}", "a number", value)
    return out


@dataclass(frozen=True)
class Timeseries:
    fields: tuple[str, ...]
    interval: str
    timezone: str
    currency: str | None
    totals: Mapping[str, float]
    totals_revenue_breakdown: RevenueBreakdown | None
    points: tuple[TimeseriesPoint, ...]
    pagination: Pagination

    @classmethod
    def from_json(cls, body: p.JsonObject) -> Timeseries:
        rows = p.as_list(body.get("data"), "data")
        points = []
        for i, raw in enumerate(rows):
            path = f"data[{i}]"
            obj = p.as_object(raw, path)
            stamp = p.opt_datetime(obj, "timestamp", path)
            if stamp is None:
                raise MalformedResponseError(f"field {path}.'timestamp' is missing")
            points.append(TimeseriesPoint(
                timestamp=stamp,
                name=p.str_or_empty(obj, "name", path),
                values=p.frozen(_numeric_fields(obj, path, {"timestamp", "name"})),
                revenue_breakdown=RevenueBreakdown.from_json(obj.get("revenueBreakdown"), f"{path}.revenueBreakdown"),
            ))
        totals = p.as_object(body.get("totals") or {}, "totals")
        fields = tuple(str(f) for f in p.as_list(body.get("fields") or [], "fields"))
        return cls(
            fields=fields,
            interval=p.opt_str(body, "interval", "body") or "day",
            timezone=p.opt_str(body, "timezone", "body") or "UTC",
            currency=p.opt_str(body, "currency", "body"),
            totals=p.frozen(_numeric_fields(totals, "totals", set())),
            totals_revenue_breakdown=RevenueBreakdown.from_json(totals.get("revenueBreakdown"), "totals.revenueBreakdown"),
            points=tuple(points),
            pagination=Pagination.from_json(body.get("pagination"), len(points)),
        )

    def series(self, metric: str) -> list[float]:
        """The metric's values in time order; a point without the metric counts as 0."""
        return [point.values.get(metric, 0.0) for point in self.points]


@dataclass(frozen=True)
class BreakdownRow:
    """One row of a breakdown: its text labels (in API order) and its numbers.

    Campaign rows have their nested `campaign` object flattened into labels
    (`utm_source`, ..., `ref`, `source`, `via`); the country flag URL goes to `extra`.
    """

    labels: Mapping[str, str]
    metrics: Mapping[str, float]
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def visitors(self) -> int:
        return int(self.metrics.get("visitors", 0))

    @property
    def revenue(self) -> float | None:
        return self.metrics.get("revenue")

    @classmethod
    def from_json(cls, raw: Any, path: str, hidden: frozenset[str] = frozenset({"image"})) -> BreakdownRow:
        obj = p.as_object(raw, path)
        labels: dict[str, str] = {}
        metrics: dict[str, float] = {}
        extra: dict[str, Any] = {}
        for key, value in obj.items():
            if key in hidden:
                extra[key] = value
            elif key == "campaign" and isinstance(value, Mapping):
                for part, text in value.items():
                    labels[str(part)] = "" if text is None else str(text)
            elif value is None or isinstance(value, str):
                labels[key] = value or ""
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                metrics[key] = float(value)
            else:
                extra[key] = value
        return cls(labels=p.frozen(labels), metrics=p.frozen(metrics), extra=p.frozen(extra))


@dataclass(frozen=True)
class Breakdown:
    endpoint: str
    rows: tuple[BreakdownRow, ...]
    pagination: Pagination

    @classmethod
    def from_json(cls, endpoint: str, body: p.JsonObject) -> Breakdown:
        raw_rows = p.as_list(body.get("data"), "data")
        rows = tuple(BreakdownRow.from_json(r, f"data[{i}]") for i, r in enumerate(raw_rows))
        return cls(endpoint=endpoint, rows=rows, pagination=Pagination.from_json(body.get("pagination"), len(rows)))


@dataclass(frozen=True)
class GoalCreated:
    message: str
    event_id: str

    @classmethod
    def from_json(cls, data: Any) -> GoalCreated:
        obj = first_object(data, "data")
        return cls(message=p.str_or_empty(obj, "message", "data"), event_id=p.str_or_empty(obj, "eventId", "data"))


@dataclass(frozen=True)
class PaymentRecorded:
    message: str
    transaction_id: str

    @classmethod
    def from_json(cls, body: p.JsonObject) -> PaymentRecorded:
        # The docs show this response without the usual envelope; accept both forms.
        obj = first_object(body["data"], "data") if "data" in body else body
        return cls(
            message=p.str_or_empty(obj, "message", "body"),
            transaction_id=p.str_or_empty(obj, "transaction_id", "body"),
        )


@dataclass(frozen=True)
class DeletionResult:
    message: str
    details: Mapping[str, Any]

    @classmethod
    def from_json(cls, data: Any) -> DeletionResult:
        obj = first_object(data, "data") if data is not None else {}
        return cls(message=p.str_or_empty(obj, "message", "data"), details=p.extras(obj, {"message"}))
