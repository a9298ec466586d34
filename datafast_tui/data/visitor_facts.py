"""What the Visitor screen says about one visitor, as plain data (no Textual, no markup).

Identity and activity as label/value rows, the timeline of pages and goals merged by time,
and the prediction in words. Values are the API's raw strings: the screen cleans them and
never parses them as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import Any

from datafast_tui.api.models_realtime import RealtimeVisitor
from datafast_tui.api.models_visitor import (
    Prediction,
    Visitor,
    VisitorActivity,
    VisitorIdentity,
    VisitorPayment,
    VisitorProfile,
)
from datafast_tui.formatting import ago, duration_ms, money, number

#: First-session parameters in the order the docs list them (via is in the realtime map's).
SESSION_PARAMS = ("ref", "source", "via", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
#: The prediction score every site averages; the docs call it the baseline.
BASELINE_SCORE = 50.0

Row = tuple[str, str]


def _join(*parts: str | None, sep: str = " ") -> str:
    return sep.join(p for p in parts if p)


def local_time(moment: datetime | None, zone: tzinfo) -> str:
    """"2026-11-26 16:30" in `zone` (the site's timezone); "–" for no time."""
    if moment is None:
        return "–"
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def summary(visitor: Visitor) -> str:
    """One line that tells visitors apart in a list: "Berlin, DE · desktop · Chrome"."""
    ident = visitor.identity
    place = _join(ident.city, ident.country_code or ident.country, sep=", ")
    return _join(place, ident.device.type, ident.browser.name, sep=" · ")


def realtime_label(visitor: RealtimeVisitor) -> str:
    """The same kind of line for a visitor of the realtime map, with the page they are on."""
    place = _join(visitor.city, visitor.country_code, sep=", ")
    who = visitor.customer_name or visitor.display_name
    return _join(who, place, visitor.device, visitor.browser, visitor.current_url, sep=" · ")


def region_name(region: str | None, country_code: str | None) -> str | None:
    """A region as people write it after a city: "US-NY" -> "NY"; a numbered one ("KR-44") says
    nothing to a reader and is left out; a name ("Île-de-France") stays as it is."""
    if not region:
        return None
    prefix = f"{country_code}-" if country_code else None
    if prefix and region.upper().startswith(prefix.upper()):
        rest = region[len(prefix):]
        return rest if rest and not rest.isdigit() else None
    return region


def identity_rows(identity: VisitorIdentity) -> list[Row]:
    """Location, device, browser, OS and viewport; "–" where the API knows nothing."""
    country = identity.country if identity.country == identity.country_code else _join(
        identity.country, f"({identity.country_code})" if identity.country_code else None)
    device = identity.device
    viewport = f"{identity.viewport[0]} × {identity.viewport[1]}" if identity.viewport else ""
    rows = [
        ("Location", _join(identity.city, region_name(identity.region, identity.country_code), country, sep=", ")),
        ("Device", _join(device.type, _join(device.vendor, device.model), sep=" · ")),
        ("Browser", _join(identity.browser.name, identity.browser.version)),
        ("OS", _join(identity.os.name, identity.os.version)),
        ("Viewport", viewport),
    ]
    return [(label, value or "–") for label, value in rows]


def param_rows(identity: VisitorIdentity) -> list[Row]:
    """The first session's ref/source/via/utm_* that have a value (documented ones first)."""
    params = identity.params
    names = [n for n in SESSION_PARAMS if params.get(n)] + sorted(
        n for n in params if n not in SESSION_PARAMS and params.get(n))
    return [(name, params[name] or "") for name in names]


def counted(count: int | None, noun: str) -> str:
    """"1 visit", "3 pageviews", "– goals" (unknown)."""
    return f"{number(count)} {noun}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    note: str = ""  # said after the value, muted ("3 days ago")


def activity_facts(activity: VisitorActivity, zone: tzinfo, now: datetime) -> list[Fact]:
    """Counts, first/last visit in the site timezone with relative times, time on site, current URL."""
    goals = sum(1 for g in activity.completed_goals if not g.from_payment_provider)
    payments = f" · {counted(len(activity.payments), 'payment')}" if activity.payments else ""
    return [
        Fact("Visits", f"{counted(activity.visit_count, 'visit')} · {counted(activity.pageview_count, 'pageview')}"
             f" · {counted(goals, 'goal')}{payments}"),
        Fact("First visit", local_time(activity.first_visit_at, zone),
             ago(activity.first_visit_at, now) if activity.first_visit_at else ""),
        Fact("Last visit", local_time(activity.last_visit_at, zone),
             ago(activity.last_visit_at, now) if activity.last_visit_at else ""),
        Fact("Since first visit", _human_span(activity.time_since_first_visit_ms)),
        Fact("Since current visit", _human_span(activity.time_since_current_visit_ms)),
        Fact("Current URL", activity.current_url or "–"),
    ]


def _human_span(ms: float | None) -> str:
    return "–" if ms is None else duration_ms(max(0.0, ms))


# -- timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline: a visited page or a completed goal."""

    moment: datetime | None
    #: "page", "goal" (a custom goal) or "billing" (a goal the payment provider made:
    #: payment, free_trial, subscription_started, ...)
    kind: str
    title: str  # the page URL, or the goal's name
    detail: str = ""  # a goal's description and metadata
    is_server: bool = False  # the goal was created through the API, not the browser


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _metadata_text(metadata: dict[str, Any] | Any) -> str:
    return ", ".join(f"{k}={v}" for k, v in metadata.items()) if metadata else ""


def timeline(activity: VisitorActivity, *, newest_first: bool = True) -> list[TimelineEntry]:
    """Pages and goals merged by time.

    At the same instant the page comes before the goal completed on it (in reading order),
    and entries without a time go to the far past, keeping the API's order among themselves.
    """
    entries: list[tuple[datetime, int, int, TimelineEntry]] = []
    for i, page in enumerate(activity.visited_pages):
        entries.append((page.timestamp or _EPOCH, 0, i, TimelineEntry(page.timestamp, "page", page.url)))
    for i, goal in enumerate(activity.completed_goals):
        detail = _join(goal.description, _metadata_text(goal.metadata), sep=" · ")
        kind = "billing" if goal.from_payment_provider else "goal"
        entries.append((goal.timestamp or _EPOCH, 1, i,
                        TimelineEntry(goal.timestamp, kind, goal.name, detail, goal.is_server)))
    entries.sort(key=lambda e: e[:3])
    ordered = [e[3] for e in entries]
    return ordered[::-1] if newest_first else ordered


# -- profile and payments -----------------------------------------------------------------

NOT_IDENTIFIED = "Not identified (the site has not called Identify for this visitor)."
NO_PAYMENTS = "No payments."
#: The newest payments listed; older ones are counted.
PAYMENTS_SHOWN = 8


def profile_rows(profile: VisitorProfile | None, zone: tzinfo) -> list[Row]:
    """The Identify profile: user id, when, then its metadata (empty: not identified)."""
    if profile is None:
        return []
    rows = [("User id", profile.user_id or "–"), ("Identified", local_time(profile.identified_at, zone))]
    rows += [(str(key), _plain_value(value)) for key, value in profile.metadata.items()]
    return rows


def _plain_value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return ", ".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else ", ".join(map(str, value))
    return "–" if value is None else str(value)


def ad_click_rows(identity: VisitorIdentity) -> list[Row]:
    """The ad click ids of the first visit that have a value ("gclid", "fbclid", ...)."""
    return [(name, value) for name, value in identity.ad_click_ids.items() if value]


def payment_rows(payments: tuple[VisitorPayment, ...], zone: tzinfo) -> tuple[list[Row], int]:
    """The newest payments as (when, "29.00 USD · renewal · tx_123") rows, and how many more there are."""
    ordered = sorted(payments, key=lambda pay: pay.timestamp or _EPOCH, reverse=True)
    rows = []
    for pay in ordered[:PAYMENTS_SHOWN]:
        amount = "–" if pay.amount is None else money(pay.amount, pay.currency, cents=True)
        rows.append((local_time(pay.timestamp, zone), _join(amount, pay.kind, pay.transaction_id, sep=" · ")))
    return rows, max(0, len(ordered) - PAYMENTS_SHOWN)


# -- prediction ---------------------------------------------------------------------------

NO_PREDICTION = (
    "No prediction for this visitor. DataFast leaves it empty when the visitor is already a "
    "customer, or when revenue attribution is not set up for the site (see the DataFast guide "
    "on revenue attribution)."
)
LOW_CONFIDENCE_NOTE = (
    "Low confidence (under 0.5): DataFast advises against important decisions on this prediction."
)


@dataclass(frozen=True)
class PredictionView:
    score: float
    verdict: str  # the score in words, against the baseline
    rows: list[Row]
    low_confidence_note: str | None


def verdict(score: float) -> str:
    """The score in words: 50 is the site's average visitor."""
    if score >= 75:
        return "very likely to convert"
    if score > BASELINE_SCORE + 5:
        return "above average"
    if score >= BASELINE_SCORE - 5:
        return "about average"
    if score > 25:
        return "below average"
    return "very unlikely to convert"


def prediction_view(prediction: Prediction | None) -> PredictionView | None:
    """The prediction in words, or None when the API gave none (see NO_PREDICTION)."""
    if prediction is None:
        return None
    rate = prediction.conversion_rate
    value = prediction.expected_value
    confidence = prediction.confidence
    rows = [
        ("Conversion rate", "–" if rate is None else f"{rate * 100:.2f}%"),
        # The docs: expectedValue is in USD whatever the site's currency.
        ("Expected value", "–" if value is None else f"${value:,.2f} USD"),
        ("Confidence", "–" if confidence is None else f"{confidence * 100:.0f}% ({confidence:.3f})"),
    ]
    return PredictionView(prediction.score, verdict(prediction.score), rows,
                          LOW_CONFIDENCE_NOTE if prediction.low_confidence else None)


def gauge_cells(score: float, width: int) -> tuple[int, int]:
    """How many of `width` cells a 0-100 score fills, and the cell index of the baseline (50)."""
    width = max(2, width)
    clamped = min(100.0, max(0.0, score))
    return round(clamped / 100 * width), min(width - 1, round(BASELINE_SCORE / 100 * width))
