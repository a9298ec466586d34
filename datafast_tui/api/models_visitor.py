"""Model of `GET visitors/{id}`: identity, activity and the conversion prediction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from datafast_tui.api import parsing as p
from datafast_tui.api.models import first_object


@dataclass(frozen=True)
class NameVersion:
    name: str | None
    version: str | None

    @classmethod
    def from_json(cls, data: Any, path: str) -> NameVersion:
        obj = p.as_object(data or {}, path)
        return cls(name=p.opt_str(obj, "name", path), version=p.opt_str(obj, "version", path))


@dataclass(frozen=True)
class Device:
    type: str | None
    vendor: str | None
    model: str | None


@dataclass(frozen=True)
class VisitorIdentity:
    country: str | None
    country_code: str | None
    region: str | None
    city: str | None
    params: Mapping[str, str | None]
    browser: NameVersion
    os: NameVersion
    device: Device
    viewport: tuple[int, int] | None

    @classmethod
    def from_json(cls, data: Any) -> VisitorIdentity:
        path = "data.identity"
        obj = p.as_object(data or {}, path)
        params = p.as_object(obj.get("params") or {}, f"{path}.params")
        device = p.as_object(obj.get("device") or {}, f"{path}.device")
        viewport = None
        if obj.get("viewport") is not None:
            vp = p.as_object(obj["viewport"], f"{path}.viewport")
            width, height = p.opt_int(vp, "width", f"{path}.viewport"), p.opt_int(vp, "height", f"{path}.viewport")
            if width is not None and height is not None:
                viewport = (width, height)
        return cls(
            country=p.opt_str(obj, "country", path),
            country_code=p.opt_str(obj, "countryCode", path),
            region=p.opt_str(obj, "region", path),
            city=p.opt_str(obj, "city", path),
            params=p.frozen({str(k): p.opt_str(params, k, f"{path}.params") for k in params}),
            browser=NameVersion.from_json(obj.get("browser"), f"{path}.browser"),
            os=NameVersion.from_json(obj.get("os"), f"{path}.os"),
            device=Device(
                type=p.opt_str(device, "type", f"{path}.device"),
                vendor=p.opt_str(device, "vendor", f"{path}.device"),
                model=p.opt_str(device, "model", f"{path}.device"),
            ),
            viewport=viewport,
        )


@dataclass(frozen=True)
class VisitedPage:
    url: str
    timestamp: datetime | None


@dataclass(frozen=True)
class CompletedGoal:
    name: str
    description: str | None
    is_server: bool
    timestamp: datetime | None
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VisitorActivity:
    visit_count: int
    pageview_count: int
    time_since_first_visit_ms: float | None
    time_since_current_visit_ms: float | None
    first_visit_at: datetime | None
    last_visit_at: datetime | None
    current_url: str | None
    visited_pages: tuple[VisitedPage, ...]
    completed_goals: tuple[CompletedGoal, ...]

    @classmethod
    def from_json(cls, data: Any) -> VisitorActivity:
        path = "data.activity"
        obj = p.as_object(data or {}, path)
        pages = []
        for i, raw in enumerate(p.as_list(obj.get("visitedPages") or [], f"{path}.visitedPages")):
            item = p.as_object(raw, f"{path}.visitedPages[{i}]")
            pages.append(VisitedPage(
                url=p.str_or_empty(item, "url", f"{path}.visitedPages[{i}]"),
                timestamp=p.opt_datetime(item, "timestamp", f"{path}.visitedPages[{i}]"),
            ))
        goals = []
        for i, raw in enumerate(p.as_list(obj.get("completedCustomGoals") or [], f"{path}.completedCustomGoals")):
            gpath = f"{path}.completedCustomGoals[{i}]"
            item = p.as_object(raw, gpath)
            metadata = item.get("metadata")
            goals.append(CompletedGoal(
                name=p.str_or_empty(item, "name", gpath),
                description=p.opt_str(item, "description", gpath),
                is_server=p.opt_bool(item, "isServer", gpath),
                timestamp=p.opt_datetime(item, "timestamp", gpath),
                metadata=p.frozen(p.as_object(metadata, f"{gpath}.metadata")) if metadata else p.frozen({}),
            ))
        return cls(
            visit_count=p.opt_int(obj, "visitCount", path, 0) or 0,
            pageview_count=p.opt_int(obj, "pageViewCount", path, 0) or 0,
            time_since_first_visit_ms=p.opt_number(obj, "timeSinceFirstVisit", path),
            time_since_current_visit_ms=p.opt_number(obj, "timeSinceCurrentVisit", path),
            first_visit_at=p.opt_datetime(obj, "firstVisitAt", path),
            last_visit_at=p.opt_datetime(obj, "lastVisitAt", path),
            current_url=p.opt_str(obj, "currentUrl", path),
            visited_pages=tuple(pages),
            completed_goals=tuple(goals),
        )


@dataclass(frozen=True)
class Prediction:
    score: float
    conversion_rate: float | None
    expected_value: float | None  # USD, per the docs
    confidence: float | None

    #: The docs advise against decisions below this confidence.
    LOW_CONFIDENCE = 0.5

    @property
    def low_confidence(self) -> bool:
        return self.confidence is None or self.confidence < self.LOW_CONFIDENCE

    @classmethod
    def from_json(cls, data: Any) -> Prediction | None:
        if data is None:
            return None
        path = "data.prediction"
        obj = p.as_object(data, path)
        return cls(
            score=p.req_number(obj, "score", path),
            conversion_rate=p.opt_number(obj, "conversionRate", path),
            expected_value=p.opt_number(obj, "expectedValue", path),
            confidence=p.opt_number(obj, "confidence", path),
        )


@dataclass(frozen=True)
class Visitor:
    visitor_id: str
    identity: VisitorIdentity
    activity: VisitorActivity
    prediction: Prediction | None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any) -> Visitor:
        obj = first_object(data, "data")
        return cls(
            visitor_id=p.str_or_empty(obj, "visitorId", "data"),
            identity=VisitorIdentity.from_json(obj.get("identity")),
            activity=VisitorActivity.from_json(obj.get("activity")),
            prediction=Prediction.from_json(obj.get("prediction")),
            extra=p.extras(obj, {"visitorId", "identity", "activity", "prediction"}),
        )
