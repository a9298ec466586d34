"""Expected response shapes, transcribed from the DataFast API docs' examples.

Values are types (a tuple means "any of"); a dict must have exactly its keys plus the
allowed extras; a one-element list means "a list whose items all have this shape";
`AnyOf(a, b)` means the value has shape a or shape b (where February's example and today's
field tables differ, both are transcribed and either is accepted).
"""

from __future__ import annotations


class AnyOf:
    """A value of any of these shapes."""

    def __init__(self, *shapes: object) -> None:
        self.shapes = shapes

NUM = (int, float)
OPT_STR = (str, type(None))
OPT_NUM = (int, float, type(None))
PAGINATION = {"limit": int, "offset": int, "total": int}
REVENUE_BREAKDOWN = {"new": NUM, "renewal": NUM, "refund": NUM}


def breakdown(row: dict) -> dict:
    return {"status": str, "data": [row], "pagination": PAGINATION}


OVERVIEW = {
    "status": str,
    "data": [
        {
            "visitors": int,
            "sessions": int,
            "bounce_rate": NUM,
            "avg_session_duration": NUM,
            "currency": str,
            "revenue": NUM,
            "revenue_per_visitor": NUM,
            "conversion_rate": NUM,
        }
    ],
}
OVERVIEW_EXTRAS = {"pageviews", "payments"}

TIMESERIES = {
    "status": str,
    "fields": [str],
    "interval": str,
    "timezone": str,
    "currency": OPT_STR,
    "totals": {
        "visitors": int,
        "sessions": int,
        "revenue": NUM,
        "payments": int,  # today's pages: "Requesting revenue automatically includes payments"
        "revenueBreakdown": REVENUE_BREAKDOWN,
        "conversion_rate": NUM,
    },
    "data": [
        {
            "visitors": int,
            "name": str,
            "sessions": int,
            "revenue": NUM,
            "payments": int,
            "revenueBreakdown": REVENUE_BREAKDOWN,
            "conversion_rate": NUM,
            "timestamp": str,
        }
    ],
    "pagination": PAGINATION,
}

METADATA = {
    "status": str,
    "data": [{"domain": str, "timezone": str, "name": str, "kpiColorScheme": str, "kpi": OPT_STR, "currency": str}],
}
METADATA_EXTRAS = {"logo"}

REALTIME = {"status": str, "data": [{"visitors": int}]}

PARAMS = {
    k: OPT_STR for k in ("ref", "source", "via", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
}
REALTIME_MAP = {
    "status": str,
    "data": {
        "count": int,
        "visitors": [
            {
                "visitorId": str,
                "location": {"city": str, "region": str, "countryCode": str},
                "system": AnyOf(
                    # The pages' example (February's too)
                    {"browser": {"name": str}, "os": {"name": str}, "device": {"type": str}},
                    # Today's field table: "system.browser string|null" and the same for os, device
                    {"browser": OPT_STR, "os": OPT_STR, "device": OPT_STR},
                ),
                "currentUrl": str,
                "referrer": OPT_STR,
                "sessionStartTime": str,
                "visitCount": int,
                "params": PARAMS,
                "latitude": NUM,
                "longitude": NUM,
                "isCustomer": bool,
                "customerName": OPT_STR,
                "customerEmail": OPT_STR,
                "profileData": {"displayName": OPT_STR, "userId": OPT_STR, "hasProfile": bool, "isRandomName": bool},
                "conversionLikelihood": (
                    {
                        "score": int,
                        "confidence": NUM,
                        "isBaseline": bool,
                        "dimensionMatches": [str],
                        "raw": {"conversionRate": NUM, "averageValue": NUM, "expectedValue": NUM},
                    },
                    None,
                ),
            }
        ],
        "conversionMetrics": {"baselineConversionRate": NUM, "baselineAverageValue": NUM},
        "hasConversionPredictions": bool,
        "recentEvents": [
            {
                "_id": str,
                "type": str,
                "visitorId": str,
                "timestamp": str,
                "path": OPT_STR,
                "countryCode": str,
                "extraData": dict,
                "referrer": OPT_STR,
                "customerName": OPT_STR,
                "amount": OPT_NUM,
                "displayName": OPT_STR,
            }
        ],
        "recentPayments": [
            {
                "_id": str,
                "type": str,
                "timestamp": str,
                "name": OPT_STR,
                "email": OPT_STR,
                "amount": NUM,
                "currency": str,
                "renewal": bool,
                "displayName": OPT_STR,
                "isNew": bool,
                "visible": bool,
            }
        ],
    },
}

VISITOR = {
    "status": str,
    "data": {
        "visitorId": str,
        "identity": {
            "country": str,
            "countryCode": str,
            "region": str,
            "city": str,
            "params": PARAMS,  # today's pages add via to February's list
            # Today: "Captured ad click IDs such as Google or Meta click identifiers" (an object)
            "adClickIds": dict,
            "browser": {"name": str, "version": OPT_STR},
            "os": {"name": str, "version": OPT_STR},
            "device": {"type": str, "vendor": OPT_STR, "model": OPT_STR},
            "viewport": {"width": int, "height": int},
        },
        "activity": {
            "visitCount": int,
            "pageViewCount": int,
            "timeSinceFirstVisit": int,
            "timeSinceCurrentVisit": int,
            "firstVisitAt": str,
            "lastVisitAt": str,
            "currentUrl": str,
            "visitedPages": [{"url": str, "timestamp": str}],
            "completedCustomGoals": [{"name": str, "description": OPT_STR, "isServer": bool, "timestamp": str}],
            # Today's canonical list: custom goals and payment lifecycle goals, each with an origin
            "completedGoals": [{"name": str, "description": OPT_STR, "isServer": bool, "timestamp": str,
                                "origin": str}],
            # Today: "Activity: visits, pages, completed goals, payments" (item fields not documented;
            # the demo uses the payment endpoints' names)
            "payments": [{"transaction_id": str, "amount": NUM, "currency": str, "timestamp": str,
                          "renewal": bool, "refunded": bool, "is_free_trial": bool}],
        },
        # Today: "Latest Identify profile ... userId, custom metadata, and identifiedAt"; only when identified
        "profile": ({"userId": OPT_STR, "metadata": dict, "identifiedAt": OPT_STR}, None),
        "prediction": ({"score": int, "conversionRate": NUM, "expectedValue": NUM, "confidence": NUM}, None),
    },
}
#: A goal's metadata, when it has some.
VISITOR_EXTRAS = {"metadata"}
#: The `origin` values of completedGoals on today's pages.
GOAL_ORIGINS = {"manual", "payment_provider"}

BREAKDOWNS = {
    "devices": breakdown({"device": str, "visitors": int, "revenue": NUM, "payments": int}),
    "pages": breakdown({"hostname": str, "path": str, "visitors": int, "revenue": NUM, "payments": int}),
    "campaigns": breakdown(
        {
            "campaign": {
                k: str
                for k in ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "ref", "source", "via")
            },
            "visitors": int,
            "revenue": NUM,
            "payments": int,  # today's pages: "payment count per row"
        }
    ),
    "goals": breakdown({"goal": str, "completions": int, "visitors": int}),
    "referrers": breakdown({"referrer": str, "visitors": int, "revenue": NUM, "payments": int}),
    "countries": breakdown({"country": str, "image": str, "visitors": int, "revenue": NUM, "payments": int}),
    "regions": breakdown({"region": str, "visitors": int, "revenue": NUM, "payments": int}),
    "cities": breakdown({"city": str, "visitors": int, "revenue": NUM, "payments": int}),
    "browsers": breakdown({"browser": str, "visitors": int, "revenue": NUM, "payments": int}),
    "operating-systems": breakdown({"operating_system": str, "visitors": int, "revenue": NUM, "payments": int}),
    "hostnames": breakdown({"hostname": str, "visitors": int, "revenue": NUM, "payments": int}),
}

GOAL_CREATED = {"status": str, "data": [{"message": str, "eventId": str}]}
PAYMENT_CREATED = {"message": str, "transaction_id": str}
GOALS_DELETED = {"status": str, "data": [{"message": str, "goal_name": str, "timeRange": {"start": str, "end": str}}]}
PAYMENTS_DELETED = {
    "status": str,
    "data": [{"datafast_visitor_id": str, "message": str, "timeRange": {"start": str, "end": str}}],
}
DELETE_EXTRAS = {"deletedCount"}


def assert_shape(actual: object, expected: object, extras: set[str] = frozenset(), where: str = "$") -> None:
    """Fail with the JSON path when `actual` does not have the `expected` shape."""
    if isinstance(expected, AnyOf):
        problems = []
        for shape in expected.shapes:
            try:
                assert_shape(actual, shape, extras, where)
            except AssertionError as exc:
                problems.append(str(exc))
            else:
                return
        raise AssertionError(f"{where}: matches none of {len(problems)} shapes: " + " | ".join(problems))
    if isinstance(expected, tuple) and any(isinstance(e, (dict, list)) for e in expected):
        if actual is None and None in expected:
            return
        expected = next(e for e in expected if isinstance(e, (dict, list)))
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        missing = set(expected) - set(actual)
        unexpected = set(actual) - set(expected) - set(extras)
        assert not missing and not unexpected, f"{where}: missing {sorted(missing)}, unexpected {sorted(unexpected)}"
        for key, shape in expected.items():
            assert_shape(actual[key], shape, extras, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: expected a list, got {actual!r}"
        for i, item in enumerate(actual):
            assert_shape(item, expected[0], extras, f"{where}[{i}]")
    else:
        types = expected if isinstance(expected, tuple) else (expected,)
        ok = isinstance(actual, types) and not (isinstance(actual, bool) and bool not in types)
        assert ok, f"{where}: expected {types}, got {actual!r}"
