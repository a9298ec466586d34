"""Model of `GET visitors/{id}`: identity, activity, the Identify profile and the prediction.

Two generations of the page are read. February's: `activity.completedCustomGoals` (custom
goals only). Today's: `activity.completedGoals`, the canonical list of custom goals and the
payment provider's lifecycle goals (payment, free_trial, subscription_started, ...) each with
an `origin`, plus `activity.payments`, `identity.adClickIds` and `profile` (from Identify).
"""

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


def _text_map(obj: p.JsonObject, key: str, path: str) -> Mapping[str, str | None]:
    """A flat object of labels (`params`, `adClickIds`) as text; null stays null."""
    raw = p.as_object(obj.get(key) or {}, f"{path}.{key}")
    return p.frozen({str(k): p.opt_str(raw, k, f"{path}.{key}") for k in raw})


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
    #: Ad click ids captured with the first visit ("gclid", "fbclid", ...); empty when none.
    ad_click_ids: Mapping[str, str | None] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any) -> VisitorIdentity:
        path = "data.identity"
        obj = p.as_object(data or {}, path)
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
            params=_text_map(obj, "params", path),
            browser=NameVersion.from_json(obj.get("browser"), f"{path}.browser"),
            os=NameVersion.from_json(obj.get("os"), f"{path}.os"),
            device=Device(
                type=p.opt_str(device, "type", f"{path}.device"),
                vendor=p.opt_str(device, "vendor", f"{path}.device"),
                model=p.opt_str(device, "model", f"{path}.device"),
            ),
            viewport=viewport,
            ad_click_ids=_text_map(obj, "adClickIds", path),
        )


@dataclass(frozen=True)
class VisitedPage:
    url: str
    timestamp: datetime | None


def _metadata(obj: p.JsonObject, path: str) -> Mapping[str, Any]:
    """An object's `metadata` object, frozen; empty when it has none."""
    raw = obj.get("metadata")
    return p.frozen(p.as_object(raw, f"{path}.metadata")) if raw else p.frozen({})


#: `origin` of a goal the payment provider's events made (payment, free_trial, subscription_*).
PAYMENT_PROVIDER = "payment_provider"


@dataclass(frozen=True)
class CompletedGoal:
    name: str
    description: str | None
    is_server: bool
    timestamp: datetime | None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    #: "manual" (a custom goal, from the browser or the API) or "payment_provider"; None when
    #: the answer is February's `completedCustomGoals`, which holds custom goals only.
    origin: str | None = None

    @property
    def from_payment_provider(self) -> bool:
        return self.origin == PAYMENT_PROVIDER

    @classmethod
    def from_json(cls, raw: Any, path: str) -> CompletedGoal:
        item = p.as_object(raw, path)
        return cls(
            # "goal" is the key the goals endpoint uses for a name; accepted here too.
            name=p.opt_str(item, "name", path) or p.str_or_empty(item, "goal", path),
            description=p.opt_str(item, "description", path),
            is_server=p.opt_bool(item, "isServer", path),
            timestamp=p.opt_datetime(item, "timestamp", path),
            metadata=_metadata(item, path),
            origin=p.opt_str(item, "origin", path),
        )


@dataclass(frozen=True)
class VisitorPayment:
    """One payment of `activity.payments`. The field names of an item are not on the pages we
    could read; these are the names the payments endpoints use, each optional."""

    amount: float | None
    currency: str | None
    timestamp: datetime | None
    transaction_id: str | None
    renewal: bool
    refunded: bool
    free_trial: bool

    @property
    def kind(self) -> str:
        if self.refunded:
            return "refund"
        if self.free_trial:
            return "free trial"
        return "renewal" if self.renewal else "payment"

    @classmethod
    def from_json(cls, raw: Any, path: str) -> VisitorPayment:
        item = p.as_object(raw, path)
        return cls(
            amount=p.opt_number(item, "amount", path),
            currency=p.opt_str(item, "currency", path),
            timestamp=p.opt_datetime(item, "timestamp", path),
            transaction_id=p.opt_str(item, "transaction_id", path) or p.opt_str(item, "transactionId", path),
            renewal=p.opt_bool(item, "renewal", path),
            refunded=p.opt_bool(item, "refunded", path),
            free_trial=p.opt_bool(item, "is_free_trial", path) or p.opt_bool(item, "isFreeTrial", path),
        )


@dataclass(frozen=True)
class VisitorProfile:
    """The latest Identify profile: present only once the site identified the visitor."""

    user_id: str | None
    metadata: Mapping[str, Any]
    identified_at: datetime | None

    @classmethod
    def from_json(cls, data: Any) -> VisitorProfile | None:
        if data is None:
            return None
        path = "data.profile"
        obj = p.as_object(data, path)
        return cls(
            user_id=p.opt_str(obj, "userId", path),
            metadata=_metadata(obj, path),
            identified_at=p.opt_datetime(obj, "identifiedAt", path),
        )


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
    payments: tuple[VisitorPayment, ...] = ()

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
        # The canonical list when the answer has it; February's custom-only list otherwise.
        key = "completedGoals" if obj.get("completedGoals") is not None else "completedCustomGoals"
        goals = [CompletedGoal.from_json(raw, f"{path}.{key}[{i}]")
                 for i, raw in enumerate(p.as_list(obj.get(key) or [], f"{path}.{key}"))]
        payments = [VisitorPayment.from_json(raw, f"{path}.payments[{i}]")
                    for i, raw in enumerate(p.as_list(obj.get("payments") or [], f"{path}.payments"))]
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
            payments=tuple(payments),
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
    profile: VisitorProfile | None = None

    @classmethod
    def from_json(cls, data: Any) -> Visitor:
        obj = first_object(data, "data")
        return cls(
            visitor_id=p.str_or_empty(obj, "visitorId", "data"),
            identity=VisitorIdentity.from_json(obj.get("identity")),
            activity=VisitorActivity.from_json(obj.get("activity")),
            prediction=Prediction.from_json(obj.get("prediction")),
            extra=p.extras(obj, {"visitorId", "identity", "activity", "prediction", "profile"}),
            profile=VisitorProfile.from_json(obj.get("profile")),
        )
