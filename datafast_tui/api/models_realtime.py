"""Models of the realtime endpoints: the live count and the realtime map (visitors, events, payments)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from datafast_tui.api import parsing as p
from datafast_tui.api.models import first_object

T = TypeVar("T")


@dataclass(frozen=True)
class RealtimeCount:
    visitors: int

    @classmethod
    def from_json(cls, data: Any) -> RealtimeCount:
        return cls(visitors=p.req_int(first_object(data, "data"), "visitors", "data"))


def _system_value(obj: p.JsonObject, key: str, inner_key: str, path: str) -> str | None:
    """A `system` value in either documented shape.

    The example on the realtime-map pages nests it (`{"browser": {"name": "Chrome"}}`,
    `{"device": {"type": "desktop"}}`); today's field table types it `string|null`
    (`{"browser": "Chrome"}`). Both are served, so both are read.
    """
    inner = obj.get(key)
    if not isinstance(inner, Mapping):  # a string, null, or a wrong type opt_str names
        return p.opt_str(obj, key, path)
    return p.opt_str(p.as_object(inner, f"{path}.{key}"), inner_key, f"{path}.{key}")


def _params(obj: p.JsonObject, path: str) -> Mapping[str, str | None]:
    raw = p.as_object(obj.get("params") or {}, f"{path}.params")
    return p.frozen({str(k): p.opt_str(raw, k, f"{path}.params") for k in raw})


@dataclass(frozen=True)
class ConversionLikelihood:
    score: float
    confidence: float | None
    is_baseline: bool
    dimension_matches: tuple[str, ...]
    conversion_rate: float | None
    average_value: float | None
    expected_value: float | None

    @classmethod
    def from_json(cls, data: Any, path: str) -> ConversionLikelihood | None:
        if data is None:
            return None
        obj = p.as_object(data, path)
        raw = p.as_object(obj.get("raw") or {}, f"{path}.raw")
        return cls(
            score=p.req_number(obj, "score", path),
            confidence=p.opt_number(obj, "confidence", path),
            is_baseline=p.opt_bool(obj, "isBaseline", path),
            dimension_matches=tuple(str(x) for x in p.as_list(obj.get("dimensionMatches") or [], f"{path}.dimensionMatches")),
            conversion_rate=p.opt_number(raw, "conversionRate", f"{path}.raw"),
            average_value=p.opt_number(raw, "averageValue", f"{path}.raw"),
            expected_value=p.opt_number(raw, "expectedValue", f"{path}.raw"),
        )


@dataclass(frozen=True)
class RealtimeVisitor:
    visitor_id: str
    city: str | None
    region: str | None
    country_code: str | None
    browser: str | None
    os: str | None
    device: str | None
    current_url: str | None
    referrer: str | None
    session_start: datetime | None
    visit_count: int
    params: Mapping[str, str | None]
    latitude: float | None
    longitude: float | None
    is_customer: bool
    customer_name: str | None
    customer_email: str | None
    display_name: str | None
    conversion: ConversionLikelihood | None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, raw: Any, path: str) -> RealtimeVisitor:
        obj = p.as_object(raw, path)
        location = p.as_object(obj.get("location") or {}, f"{path}.location")
        system = p.as_object(obj.get("system") or {}, f"{path}.system")
        profile = p.as_object(obj.get("profileData") or {}, f"{path}.profileData")
        known = {"visitorId", "location", "system", "currentUrl", "referrer", "sessionStartTime", "visitCount",
                 "params", "latitude", "longitude", "isCustomer", "customerName", "customerEmail",
                 "profileData", "conversionLikelihood"}
        return cls(
            visitor_id=p.str_or_empty(obj, "visitorId", path),
            city=p.opt_str(location, "city", f"{path}.location"),
            region=p.opt_str(location, "region", f"{path}.location"),
            country_code=p.opt_str(location, "countryCode", f"{path}.location"),
            browser=_system_value(system, "browser", "name", f"{path}.system"),
            os=_system_value(system, "os", "name", f"{path}.system"),
            device=_system_value(system, "device", "type", f"{path}.system"),
            current_url=p.opt_str(obj, "currentUrl", path),
            referrer=p.opt_str(obj, "referrer", path),
            session_start=p.opt_datetime(obj, "sessionStartTime", path),
            visit_count=p.opt_int(obj, "visitCount", path, 1) or 1,
            params=_params(obj, path),
            latitude=p.opt_number(obj, "latitude", path),
            longitude=p.opt_number(obj, "longitude", path),
            is_customer=p.opt_bool(obj, "isCustomer", path),
            customer_name=p.opt_str(obj, "customerName", path),
            customer_email=p.opt_str(obj, "customerEmail", path),
            display_name=p.opt_str(profile, "displayName", f"{path}.profileData"),
            conversion=ConversionLikelihood.from_json(obj.get("conversionLikelihood"), f"{path}.conversionLikelihood"),
            extra=p.extras(obj, known),
        )


@dataclass(frozen=True)
class RealtimeEvent:
    """A pageview or a goal completion from the last ten minutes."""

    id: str
    type: str
    visitor_id: str | None
    timestamp: datetime | None
    path: str | None
    country_code: str | None
    extra_data: Mapping[str, Any]
    referrer: str | None
    customer_name: str | None
    amount: float | None
    display_name: str | None

    @classmethod
    def from_json(cls, raw: Any, path: str) -> RealtimeEvent:
        obj = p.as_object(raw, path)
        extra_data = obj.get("extraData")
        return cls(
            id=p.str_or_empty(obj, "_id", path),
            type=p.opt_str(obj, "type", path) or "event",
            visitor_id=p.opt_str(obj, "visitorId", path),
            timestamp=p.opt_datetime(obj, "timestamp", path),
            path=p.opt_str(obj, "path", path),
            country_code=p.opt_str(obj, "countryCode", path),
            extra_data=p.frozen(p.as_object(extra_data, f"{path}.extraData")) if extra_data else p.frozen({}),
            referrer=p.opt_str(obj, "referrer", path),
            customer_name=p.opt_str(obj, "customerName", path),
            amount=p.opt_number(obj, "amount", path),
            display_name=p.opt_str(obj, "displayName", path),
        )


@dataclass(frozen=True)
class RealtimePayment:
    id: str
    type: str
    timestamp: datetime | None
    name: str | None
    email: str | None
    amount: float | None
    currency: str | None
    renewal: bool
    display_name: str | None
    is_new: bool
    visible: bool

    @classmethod
    def from_json(cls, raw: Any, path: str) -> RealtimePayment:
        obj = p.as_object(raw, path)
        return cls(
            id=p.str_or_empty(obj, "_id", path),
            type=p.opt_str(obj, "type", path) or "payment_received",
            timestamp=p.opt_datetime(obj, "timestamp", path),
            name=p.opt_str(obj, "name", path),
            email=p.opt_str(obj, "email", path),
            amount=p.opt_number(obj, "amount", path),
            currency=p.opt_str(obj, "currency", path),
            renewal=p.opt_bool(obj, "renewal", path),
            display_name=p.opt_str(obj, "displayName", path),
            is_new=p.opt_bool(obj, "isNew", path),
            visible=p.opt_bool(obj, "visible", path, True),
        )


@dataclass(frozen=True)
class ConversionMetrics:
    baseline_conversion_rate: float | None
    baseline_average_value: float | None


class ParseMemo:
    """The items of the last realtime map, by kind and id with the raw JSON they came from.

    Each poll of the map repeats most of the previous one (the last ten minutes of events, the
    same visitors): an item whose raw JSON equals last poll's (one C-level comparison) is the
    value parsed then, and only new or changed items are parsed (measured: parsing was a
    third of what the client spent on a poll). Bounded: only the last answer is kept."""

    def __init__(self) -> None:
        self._last: dict[str, dict[str, tuple[Any, Any]]] = {}

    def items(self, kind: str, id_key: str, raws: list[Any], parse: Callable[[Any, str], T]) -> tuple[T, ...]:
        last, kept, out = self._last.get(kind, {}), {}, []
        for index, raw in enumerate(raws):
            key = raw.get(id_key) if type(raw) is dict else None
            hit = last.get(key) if type(key) is str else None
            item = hit[1] if hit is not None and hit[0] == raw else parse(raw, f"data.{kind}[{index}]")
            if type(key) is str:
                kept[key] = (raw, item)
            out.append(item)
        self._last[kind] = kept
        return tuple(out)


def _parse_all(kind: str, raws: list[Any], parse: Callable[[Any, str], T]) -> tuple[T, ...]:
    return tuple(parse(raw, f"data.{kind}[{index}]") for index, raw in enumerate(raws))


@dataclass(frozen=True)
class RealtimeMap:
    count: int
    visitors: tuple[RealtimeVisitor, ...]
    recent_events: tuple[RealtimeEvent, ...]
    recent_payments: tuple[RealtimePayment, ...]
    conversion_metrics: ConversionMetrics | None
    has_conversion_predictions: bool

    @classmethod
    def from_json(cls, data: Any, memo: ParseMemo | None = None) -> RealtimeMap:
        """The map from its JSON; with `memo`, items equal to the last answer's are not parsed again."""
        obj = first_object(data, "data")

        def items(key: str) -> list[Any]:
            return p.as_list(obj.get(key) or [], f"data.{key}")

        metrics = None
        if obj.get("conversionMetrics") is not None:
            raw = p.as_object(obj["conversionMetrics"], "data.conversionMetrics")
            metrics = ConversionMetrics(
                baseline_conversion_rate=p.opt_number(raw, "baselineConversionRate", "data.conversionMetrics"),
                baseline_average_value=p.opt_number(raw, "baselineAverageValue", "data.conversionMetrics"),
            )
        def parsed(kind: str, id_key: str, parse: Callable[[Any, str], T]) -> tuple[T, ...]:
            raws = items(kind)
            return memo.items(kind, id_key, raws, parse) if memo is not None else _parse_all(kind, raws, parse)

        visitors = parsed("visitors", "visitorId", RealtimeVisitor.from_json)
        return cls(
            count=p.opt_int(obj, "count", "data", len(visitors)) or 0,
            visitors=visitors,
            recent_events=parsed("recentEvents", "_id", RealtimeEvent.from_json),
            recent_payments=parsed("recentPayments", "_id", RealtimePayment.from_json),
            conversion_metrics=metrics,
            has_conversion_predictions=p.opt_bool(obj, "hasConversionPredictions", "data"),
        )
