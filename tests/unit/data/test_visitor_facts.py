"""The Visitor screen's plain logic: timeline merge, identity rows, activity facts, prediction words."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from datafast_tui.api.models_visitor import Prediction, Visitor
from datafast_tui.data import visitor_facts as vv
from tests.helpers import docs_example

UTC = timezone.utc
PARIS = ZoneInfo("Europe/Paris")


def visitor_from(data: dict) -> Visitor:
    return Visitor.from_json(data)


def docs_visitor() -> Visitor:
    return visitor_from(docs_example("visitor")["data"])


def activity(pages: list[tuple[str, str | None]], goals: list[dict]) -> dict:
    return {
        "visitCount": 2, "pageViewCount": len(pages),
        "timeSinceFirstVisit": 90_000_000, "timeSinceCurrentVisit": 125_000,
        "firstVisitAt": "2026-11-20T10:00:00.000Z", "lastVisitAt": "2026-11-26T15:00:00.000Z",
        "currentUrl": "example.com/pricing",
        "visitedPages": [{"url": u, "timestamp": t} for u, t in pages],
        "completedCustomGoals": goals,
    }


def make_visitor(**overrides) -> Visitor:
    data = {
        "visitorId": "v-1",
        "identity": {"country": "FR", "countryCode": "FR", "region": "FR-75", "city": "Paris",
                     "params": {"ref": "news", "utm_source": "mail", "source": None, "via": "partner"},
                     "browser": {"name": "Firefox", "version": "133.0"}, "os": {"name": "Linux", "version": None},
                     "device": {"type": "desktop", "vendor": None, "model": None},
                     "viewport": {"width": 1440, "height": 900}},
        "activity": activity([("example.com/", "2026-11-26T14:00:00.000Z")], []),
        "prediction": None,
    }
    data.update(overrides)
    return visitor_from(data)


def test_timeline_merges_pages_and_goals_by_time_newest_first() -> None:
    v = make_visitor(activity=activity(
        [("a.com/1", "2026-11-26T10:00:00.000Z"), ("a.com/2", "2026-11-26T10:05:00.000Z"),
         ("a.com/3", "2026-11-26T10:10:00.000Z")],
        [{"name": "signup", "description": "Signed up", "isServer": True, "timestamp": "2026-11-26T10:05:00.000Z",
          "metadata": {"plan": "pro"}},
         {"name": "scroll", "isServer": False, "timestamp": "2026-11-26T10:07:30.000Z"}],
    ))
    entries = vv.timeline(v.activity)
    assert [(e.kind, e.title) for e in entries] == [
        ("page", "a.com/3"), ("goal", "scroll"), ("goal", "signup"), ("page", "a.com/2"), ("page", "a.com/1"),
    ]
    signup = entries[2]
    assert signup.is_server and signup.detail == "Signed up · plan=pro"
    # Oldest first is the exact reverse; at the same instant the page comes before its goal.
    assert vv.timeline(v.activity, newest_first=False) == entries[::-1]


def test_timeline_entries_without_time_go_to_the_far_past_in_api_order() -> None:
    v = make_visitor(activity=activity([("x/1", None), ("x/2", "2026-01-01T00:00:00Z"), ("x/3", None)], []))
    assert [e.title for e in vv.timeline(v.activity, newest_first=False)] == ["x/1", "x/3", "x/2"]


def test_identity_rows_and_first_session_params() -> None:
    v = make_visitor()
    rows = dict(vv.identity_rows(v.identity))
    assert rows == {"Location": "Paris, FR", "Device": "desktop", "Browser": "Firefox 133.0",
                    "OS": "Linux", "Viewport": "1440 × 900"}
    assert vv.param_rows(v.identity) == [("ref", "news"), ("via", "partner"), ("utm_source", "mail")]
    assert vv.summary(v) == "Paris, FR · desktop · Firefox"


def test_identity_of_the_docs_example() -> None:
    rows = dict(vv.identity_rows(docs_visitor().identity))
    assert rows["Location"] == "Seosan City, KR"  # a numbered region (KR-44) says nothing to a reader
    assert rows["Device"] == "desktop · Apple Macintosh"
    assert rows["OS"] == "Mac OS 10.15.7"


def test_activity_facts_in_site_time_with_relative_times() -> None:
    v = make_visitor()
    now = datetime(2026, 11, 26, 15, 30, tzinfo=UTC)
    facts = {f.label: f for f in vv.activity_facts(v.activity, PARIS, now)}
    assert facts["Visits"].value == "2 visits · 1 pageview · 0 goals"
    assert facts["First visit"].value == "2026-11-20 11:00" and facts["First visit"].note == "6 days ago"
    assert facts["Last visit"].value == "2026-11-26 16:00" and facts["Last visit"].note == "30 min ago"
    assert facts["Since first visit"].value == "1d 1h"
    assert facts["Since current visit"].value == "2m 05s"
    assert facts["Current URL"].value == "example.com/pricing"


@pytest.mark.parametrize(("score", "words"), [
    (90, "very likely to convert"), (72, "above average"), (50, "about average"), (45, "about average"),
    (30, "below average"), (10, "very unlikely to convert"),
])
def test_verdict_is_relative_to_the_baseline(score, words) -> None:
    assert vv.verdict(score) == words


def test_prediction_view_labels_expected_value_in_usd() -> None:
    view = vv.prediction_view(Prediction(72, 0.0138, 3.089, 0.831))
    assert view is not None
    assert dict(view.rows) == {"Conversion rate": "1.38%", "Expected value": "$3.09 USD",
                               "Confidence": "83% (0.831)"}
    assert view.low_confidence_note is None


@pytest.mark.parametrize("confidence", [0.49, 0.0, None])
def test_low_confidence_note_under_half(confidence) -> None:
    view = vv.prediction_view(Prediction(60, 0.01, 1.0, confidence))
    assert view is not None and view.low_confidence_note == vv.LOW_CONFIDENCE_NOTE


def test_no_prediction_is_none_and_explained() -> None:
    assert vv.prediction_view(None) is None
    assert "customer" in vv.NO_PREDICTION and "revenue attribution" in vv.NO_PREDICTION


@pytest.mark.parametrize(("score", "width", "expected"), [
    (0, 20, (0, 10)), (50, 20, (10, 10)), (100, 20, (20, 10)), (72, 30, (22, 15)), (150, 10, (10, 5)),
])
def test_gauge_cells(score, width, expected) -> None:
    assert vv.gauge_cells(score, width) == expected


def test_local_time_uses_the_zone() -> None:
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert vv.local_time(moment, PARIS) == "2026-07-01 14:00"
    assert vv.local_time(None, PARIS) == "–"
    assert vv.local_time(moment - timedelta(hours=13), ZoneInfo("Asia/Tokyo")) == "2026-07-01 08:00"


def test_regions_read_as_people_write_them_after_a_city() -> None:
    assert vv.region_name("US-NY", "US") == "NY" and vv.region_name("us-ca", "US") == "ca"
    assert vv.region_name("KR-44", "KR") is None and vv.region_name("FR-75", "FR") is None
    assert vv.region_name("Île-de-France", "FR") == "Île-de-France" and vv.region_name(None, "US") is None
    assert vv.counted(1, "visit") == "1 visit" and vv.counted(3, "pageview") == "3 pageviews"
