"""Every invalid input: the documented status, a message naming the problem, nothing stored."""

from __future__ import annotations

import json

import httpx
import pytest

from datafast_tui.demo import DemoDatabase
from tests.unit.demo.conftest import AUTH, client_for

BOT, GHOST, HUMAN, UNKNOWN = "<bot>", "<ghost>", "<human>", "00000000-0000-4000-8000-000000000000"


def goal(**fields: object) -> dict:
    return {"datafast_visitor_id": HUMAN, "name": "signup", **fields}


def payment(**fields: object) -> dict:
    return {"amount": 29.99, "currency": "USD", "transaction_id": "tx_bad_input", **fields}


def without(data: dict, key: str) -> dict:
    return {k: v for k, v in data.items() if k != key}


# (method, path, query, json body or raw bytes, status, words the message must contain)
CASES = [
    ("GET", "analytics/overview", {}, None, 401, "Missing API key", {}),
    ("GET", "analytics/overview", {}, None, 401, "Invalid API key", {"Authorization": "Bearer nope"}),
    ("GET", "analytics/overview", {}, None, 401, "Bearer", {"Authorization": "Basic demo"}),
    ("GET", "analytics/overview", {"startAt": "2026-01-01"}, None, 400, "startAt and endAt"),
    ("GET", "analytics/timeseries", {"endAt": "2026-01-01"}, None, 400, "startAt and endAt"),
    ("GET", "analytics/devices", {"startAt": "yesterday", "endAt": "2026-01-01"}, None, 400, "startAt"),
    ("GET", "analytics/overview", {"startAt": "2026-01-01", "endAt": "2026-13-01"}, None, 400, "endAt"),
    ("GET", "analytics/overview", {"startAt": "2026-02-01", "endAt": "2026-01-01"}, None, 400, "endAt"),
    ("GET", "analytics/timeseries", {"interval": "year"}, None, 400, "interval"),
    ("GET", "analytics/timeseries", {"fields": "visitors,pageviews"}, None, 400, "pageviews"),
    ("GET", "analytics/overview", {"fields": "visitors,bounce"}, None, 400, "bounce"),
    ("GET", "analytics/campaigns", {"fields": "utm_source,utm_nope"}, None, 400, "utm_nope"),
    ("GET", "analytics/goals", {"fields": "goal,revenue"}, None, 400, "revenue"),
    (
        "GET",
        "analytics/timeseries",
        {"interval": "hour", "startAt": "1900-01-01", "endAt": "2026-01-01"},
        None,
        400,
        "too long",
    ),
    ("GET", "analytics/pages", {"limit": "0"}, None, 400, "limit"),
    ("GET", "analytics/pages", {"limit": "1001"}, None, 400, "limit"),
    ("GET", "analytics/pages", {"limit": "ten"}, None, 400, "limit"),
    ("GET", "analytics/timeseries", {"offset": "-1"}, None, 400, "offset"),
    ("GET", "analytics/cities", {"offset": "1.5"}, None, 400, "offset"),
    ("GET", "analytics/overview", {"timezone": "Mars/Olympus_Mons"}, None, 400, "timezone"),
    ("GET", "analytics/overview", {"filter_planet": "is:mars"}, None, 400, "filter_planet"),
    ("GET", "analytics/devices", {"filter_country": "contains:Fra"}, None, 400, "filter_country"),
    ("GET", "analytics/devices", {"filter_device": "gte:2"}, None, 400, "operator"),
    ("GET", "analytics/timeseries", {"filter_visit_count": "gte:two"}, None, 400, "filter_visit_count"),
    ("GET", "analytics/overview", {"filter_page": "is:"}, None, 400, "filter_page"),
    ("GET", "analytics/overview", {"filter_device": "mobile,,tablet"}, None, 400, "empty"),
    ("GET", f"visitors/{UNKNOWN}", {}, None, 404, "not found"),
    ("GET", "visitors/not-a-uuid", {}, None, 404, "not found"),
    ("GET", f"visitors/{BOT}", {}, None, 400, "bot"),
    ("GET", f"visitors/{GHOST}", {}, None, 404, "no pageviews"),
    ("POST", "goals", {}, b"{not json", 400, "Malformed JSON"),
    ("POST", "goals", {}, b"", 400, "empty"),
    ("POST", "goals", {}, [goal()], 400, "JSON object"),
    ("POST", "goals", {}, without(goal(), "datafast_visitor_id"), 400, "datafast_visitor_id"),
    ("POST", "goals", {}, without(goal(), "name"), 400, "name is required"),
    ("POST", "goals", {}, goal(name="Sign Up"), 400, "Invalid goal name"),
    ("POST", "goals", {}, goal(name="x" * 65), 400, "64"),
    ("POST", "goals", {}, goal(name=7), 400, "name must be a string"),
    ("POST", "goals", {}, goal(metadata=["a"]), 400, "metadata"),
    ("POST", "goals", {}, goal(metadata={f"k{i}": "v" for i in range(11)}), 400, "at most 10"),
    ("POST", "goals", {}, goal(metadata={"Bad Key": "v"}), 400, "Bad Key"),
    ("POST", "goals", {}, goal(metadata={"k" * 65: "v"}), 400, "parameter name"),
    ("POST", "goals", {}, goal(metadata={"note": "v" * 256}), 400, "255"),
    ("POST", "goals", {}, goal(metadata={"note": {"nested": 1}}), 400, "must be a string"),
    ("POST", "goals", {}, goal(datafast_visitor_id=UNKNOWN), 404, "not found"),
    ("POST", "goals", {}, goal(datafast_visitor_id=BOT), 400, "bot"),
    ("POST", "goals", {}, goal(datafast_visitor_id=GHOST), 404, "no pageviews"),
    ("POST", "payments", {}, b"[1,", 400, "Malformed JSON"),
    ("POST", "payments", {}, without(payment(), "amount"), 400, "amount"),
    ("POST", "payments", {}, payment(amount="29.99"), 400, "amount"),
    ("POST", "payments", {}, payment(amount=-1), 400, "amount"),
    ("POST", "payments", {}, payment(amount=True), 400, "amount"),
    ("POST", "payments", {}, without(payment(), "currency"), 400, "currency"),
    ("POST", "payments", {}, payment(currency="dollars"), 400, "currency"),
    ("POST", "payments", {}, without(payment(), "transaction_id"), 400, "transaction_id"),
    ("POST", "payments", {}, payment(transaction_id=12), 400, "transaction_id"),
    ("POST", "payments", {}, payment(renewal="yes"), 400, "renewal"),
    ("POST", "payments", {}, payment(refunded=1), 400, "refunded"),
    ("POST", "payments", {}, payment(timestamp="soon"), 400, "timestamp"),
    ("POST", "payments", {}, payment(email=5), 400, "email"),
    ("DELETE", "goals", {}, None, 400, "Nothing to delete"),
    ("DELETE", "goals", {"startAt": "2026-01-01T00:00:00Z"}, None, 400, "startAt and endAt"),
    ("DELETE", "goals", {"name": "signup", "startAt": "then", "endAt": "2026-01-01"}, None, 400, "startAt"),
    ("DELETE", "goals", {"name": "never_completed_goal"}, None, 404, "No goal events"),
    ("DELETE", "goals", {"name": "bad!name"}, None, 400, "goal name"),
    ("DELETE", "goals", {"datafast_visitor_id": UNKNOWN}, None, 404, "not found"),
    ("DELETE", "payments", {}, None, 400, "Nothing to delete"),
    ("DELETE", "payments", {"endAt": "2026-01-01"}, None, 400, "startAt and endAt"),
    ("DELETE", "payments", {"transaction_id": "tx_never_seen"}, None, 404, "tx_never_seen"),
    ("DELETE", "payments", {"datafast_visitor_id": UNKNOWN}, None, 404, "not found"),
    # Issue 14: inputs that used to crash the demo (500) are refused, naming what is wrong.
    ("GET", "analytics/overview", {"filter_visit_count": "is:²"}, None, 400, "filter_visit_count"),
    ("GET", "analytics/devices", {"filter_visit_count": "is:--5"}, None, 400, "filter_visit_count"),
    ("GET", "analytics/timeseries", {"filter_visit_count": "gte:" + "9" * 30}, None, 400, "filter_visit_count"),
    ("GET", "analytics/pages", {"offset": "9" * 30}, None, 400, "offset"),
    ("GET", "analytics/timeseries", {"offset": "9" * 30}, None, 400, "offset"),
    ("GET", "analytics/pages", {"limit": "9" * 30}, None, 400, "limit"),
    ("GET", "analytics/pages", {"limit": "٣"}, None, 400, "limit"),
    ("GET", "analytics/pages", {"offset": "1_0"}, None, 400, "offset"),
    ("GET", "analytics/pages", {"filter_page": "contains:" + ",".join(f"/p{i}" for i in range(2000))}, None, 400,
     "at most 100 values"),
    ("GET", "analytics/overview", {"filter_device": ["mobile"] * 51}, None, 400, "Too many filters"),
    *(
        ("GET", f"analytics/{path}", dates, None, 400, name)
        for path in ("overview", "timeseries", "countries", "goals", "campaigns")
        for dates, name in (
            ({"startAt": "0001-01-01T00:00:00+14:00", "endAt": "0001-01-02T00:00:00+14:00"}, "startAt"),
            ({"startAt": "2026-01-01", "endAt": "9999-12-31T23:59:59-14:00"}, "endAt"),
            ({"startAt": "2026-01-01", "endAt": "9999-12-31", "timezone": "Etc/GMT+12"}, "endAt"),
            ({"startAt": "0001-01-01", "endAt": "2026-01-01", "timezone": "Pacific/Kiritimati"}, "startAt"),
        )
    ),
    ("DELETE", "goals", {"startAt": "2020-01-01", "endAt": "9999-12-31"}, None, 400, "endAt"),
    ("DELETE", "payments", {"startAt": "2020-01-01", "endAt": "9999-12-31"}, None, 400, "endAt"),
    ("DELETE", "payments", {"startAt": "0001-01-01T00:00:00+14:00", "endAt": "2020-01-01"}, None, 400, "startAt"),
    ("POST", "goals", {}, b"[" * 5000 + b"]" * 5000, 400, "nested"),
    ("POST", "payments", {}, b'{"a":' * 5000 + b"1" + b"}" * 5000, 400, "nested"),
    ("POST", "goals", {}, goal(metadata={"note": [[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]}), 400, "metadata"),
    ("POST", "goals", {}, goal(name="\ud800"), 400, "name"),
    ("POST", "goals", {}, goal(metadata={"note": "\udfff"}), 400, "metadata"),
    ("POST", "goals", {}, goal(name="signup\n"), 400, "Invalid goal name"),
    ("POST", "payments", {}, payment(email="\ud800@x.com"), 400, "email"),
    ("POST", "payments", {}, payment(timestamp="0001-01-01T00:00:00+14:00"), 400, "timestamp"),
    ("POST", "payments", {}, payment(timestamp="9999-12-31T23:59:59-14:00"), 400, "timestamp"),
    ("POST", "payments", {}, payment(timestamp="1999-12-31T23:59:59Z"), 400, "timestamp"),
    ("POST", "payments", {}, payment(timestamp="2026-02-21T00:00:00Z"), 400, "timestamp"),  # 2 days ahead
    ("POST", "payments", {}, payment(amount=1e10), 400, "amount"),
    ("POST", "payments", {}, b'{"amount": 1' + b"0" * 400 + b', "currency": "USD", "transaction_id": "t"}', 400,
     "amount"),
    ("POST", "payments", {}, b'{"amount": NaN, "currency": "USD", "transaction_id": "t"}', 400, "amount"),
    ("GET", "analytics/everything", {}, None, 404, "analytics/everything"),
    ("PUT", "goals", {}, None, 405, "PUT"),
    ("POST", "analytics/overview", {}, None, 405, "POST"),
    ("GET", "payments", {}, None, 405, "GET"),
]


def _ids(db: DemoDatabase) -> dict[str, str]:
    with db.read() as (conn, _):

        def pick(sql: str) -> str:
            return conn.execute(sql).fetchone()[0]

        return {
            BOT: pick("SELECT visitor_id FROM visitors WHERE is_bot = 1 LIMIT 1"),
            # A history visitor (live visitors may also wait for their first pageview) without sessions.
            GHOST: pick(
                "SELECT visitor_id FROM visitors v WHERE is_bot = 0 AND NOT EXISTS"
                " (SELECT 1 FROM sessions s WHERE s.vkey = v.vkey)"
                " AND vkey <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'max_vkey') LIMIT 1"
            ),
            HUMAN: pick("SELECT v.visitor_id FROM visitors v JOIN sessions s USING (vkey) LIMIT 1"),
        }


def _substitute(value: object, ids: dict[str, str]) -> object:
    if isinstance(value, str):
        for marker, real in ids.items():
            value = value.replace(marker, real)
        return value
    if isinstance(value, dict):
        return {k: _substitute(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, ids) for v in value]
    return value


async def test_every_bad_input_is_refused_and_stores_nothing(db: DemoDatabase) -> None:
    ids = _ids(db)
    counts = db.row_counts()
    failures = []
    for method, path, query, body, status, words, *headers in CASES:
        async with client_for(db, headers[0] if headers else AUTH) as client:
            content = (
                body
                if isinstance(body, bytes)
                else None
                if body is None
                else json.dumps(_substitute(body, ids)).encode()
            )
            response = await client.request(method, _substitute(path, ids), params=query, content=content)
        error = response.json().get("error", {}) if response.headers.get("content-type") == "application/json" else {}
        ok = (
            response.status_code == status
            and response.json().get("status") == "error"
            and error.get("code") == status
            and words.lower() in error.get("message", "").lower()
        )
        if not ok:
            failures.append(f"{method} {path} {query} -> {response.status_code} {response.text[:200]}")
    assert not failures, "\n".join(failures)
    assert db.row_counts() == counts


@pytest.mark.parametrize("limit", ["1", "1000"])
async def test_limit_bounds_are_accepted(api: httpx.AsyncClient, limit: str) -> None:
    assert (await api.get("analytics/cities", params={"limit": limit})).status_code == 200
