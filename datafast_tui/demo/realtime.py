"""`analytics/realtime` (last 5 minutes) and `analytics/realtime/map` (last 10 minutes).

Activity means a pageview or a goal. Filters and date ranges do not apply here.
`recentEvents` holds pageviews (`type: "pageview"`) and goals (`type: "custom"`, with the
goal name and its metadata in `extraData`), newest first, at most 100; `recentPayments`
the payments (refunds excluded), newest first. A payment is `isNew` when it is the
customer's first one.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from datafast_tui.demo.errors import success
from datafast_tui.demo.formats import (
    GOAL_TAG,
    PAGEVIEW_TAG,
    PAYMENT_TAG,
    iso_utc,
    object_id,
    or_none,
)
from datafast_tui.demo.metrics import money
from datafast_tui.demo.params import ApiRequest

if TYPE_CHECKING:
    from datafast_tui.demo.database import DemoDatabase
    from datafast_tui.demo.names import Names

MINUTE_MS = 60_000
REALTIME_WINDOW_MS = 5 * MINUTE_MS
MAP_WINDOW_MS = 10 * MINUTE_MS
MAX_RECENT_EVENTS = 100
PARAM_KEYS = ("ref", "source", "via", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
DIMENSION_MATCHES = ("device", "os", "browser", "country", "referrer")

_ACTIVITY = (
    "SELECT vkey, MAX(ts) AS last FROM (SELECT vkey, ts FROM pageviews WHERE ts > ? AND ts <= ?"
    " UNION ALL SELECT vkey, ts FROM goals WHERE ts > ? AND ts <= ?) GROUP BY vkey"
)


def realtime(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    with db.read() as (conn, now):
        since = now - REALTIME_WINDOW_MS
        count = conn.execute(f"SELECT COUNT(*) FROM ({_ACTIVITY})", (since, now, since, now)).fetchone()[0]
    return success([{"visitors": count}])


def realtime_map(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    with db.read() as (conn, now):
        since = now - MAP_WINDOW_MS
        active = conn.execute(_ACTIVITY + " ORDER BY last DESC, vkey", (since, now, since, now)).fetchall()
        visitors = [_map_visitor(conn, vkey, now, db.names) for vkey, _ in active]
        events = _recent_events(conn, since, now, db.names)
        payments = _recent_payments(conn, since, now)
        baseline = {
            "baselineConversionRate": float(db.meta["baseline_conversion_rate"]),
            "baselineAverageValue": float(db.meta["baseline_average_value"]),
        }
    return success(
        {
            "count": len(visitors),
            "visitors": visitors,
            "conversionMetrics": baseline,
            "hasConversionPredictions": True,
            "recentEvents": events,
            "recentPayments": payments,
        }
    )


def is_customer(conn: sqlite3.Connection, vkey: int) -> bool:
    return (
        conn.execute("SELECT 1 FROM payments WHERE vkey = ? AND kind != 'refund' LIMIT 1", (vkey,)).fetchone()
        is not None
    )


def _system(vkey: int, browser: str, os: str, device: str) -> dict[str, object]:
    """Both documented shapes, by visitor: the pages' example nests each value in an object,
    today's field table types them `string|null`; a client must read either."""
    if vkey % 2:
        return {"browser": browser, "os": os, "device": device}
    return {"browser": {"name": browser}, "os": {"name": os}, "device": {"type": device}}


def _map_visitor(conn: sqlite3.Connection, vkey: int, now: int, names: Names) -> dict[str, object]:
    v = conn.execute(
        "SELECT visitor_id, city, region, country, browser, os, device, latitude, longitude, customer_name,"
        " customer_email, customer_id, pred_score, pred_rate, pred_value, pred_confidence FROM visitors WHERE vkey = ?",
        (vkey,),
    ).fetchone()
    s = conn.execute(
        "SELECT start_ms, visit_number, referrer_domain, "
        + ", ".join(PARAM_KEYS)
        + " FROM sessions WHERE vkey = ? AND start_ms <= ? ORDER BY start_ms DESC LIMIT 1",
        (vkey, now),
    ).fetchone()
    page = conn.execute(
        "SELECT page_id FROM pageviews WHERE vkey = ? AND ts <= ? ORDER BY ts DESC LIMIT 1", (vkey, now)
    ).fetchone()
    customer = is_customer(conn, vkey)
    likelihood = (
        None
        if customer
        else {
            "score": v[12],
            "confidence": v[15],
            "isBaseline": False,
            "dimensionMatches": list(DIMENSION_MATCHES if v[15] >= 0.6 else DIMENSION_MATCHES[:3]),
            "raw": {
                "conversionRate": v[13],
                "averageValue": round(v[14] / v[13], 2) if v[13] else 0,
                "expectedValue": v[14],
            },
        }
    )
    return {
        "visitorId": v[0],
        "location": {"city": v[1], "region": v[2], "countryCode": v[3]},
        "system": _system(vkey, v[4], v[5], v[6]),
        "currentUrl": names.path(page[0]) if page else None,
        "referrer": or_none(s[2]) if s else None,
        "sessionStartTime": iso_utc(s[0]) if s else None,
        "visitCount": s[1] if s else 1,
        "params": {key: or_none(value) for key, value in zip(PARAM_KEYS, s[3:])} if s else dict.fromkeys(PARAM_KEYS),
        "latitude": v[7],
        "longitude": v[8],
        "isCustomer": customer,
        "customerName": v[9] if customer else None,
        "customerEmail": v[10] if customer else None,
        "profileData": {
            "displayName": v[9] if customer else None,
            "userId": v[11] if customer else None,
            "hasProfile": customer,
            "isRandomName": not customer,
        },
        "conversionLikelihood": likelihood,
    }


def _recent_events(conn: sqlite3.Connection, since: int, now: int, names: Names) -> list[dict[str, object]]:
    rows = conn.execute(
        "SELECT * FROM ("
        " SELECT p.ts, 1, p.pv, p.vkey, p.page_id, NULL, NULL FROM pageviews p WHERE p.ts > ? AND p.ts <= ?"
        " UNION ALL SELECT g.ts, 2, g.gid, g.vkey, NULL, g.name, g.metadata FROM goals g WHERE g.ts > ? AND g.ts <= ?"
        ") ORDER BY 1 DESC, 2 DESC, 3 DESC LIMIT ?",
        (since, now, since, now, MAX_RECENT_EVENTS),
    ).fetchall()
    people = _people(conn, {row[3] for row in rows})
    events = []
    for ts, kind, rowid, vkey, page_id, goal, metadata in rows:
        visitor_id, country, referrer, customer_name = people[vkey]
        is_pageview = kind == PAGEVIEW_TAG
        events.append(
            {
                "_id": object_id(ts, PAGEVIEW_TAG if is_pageview else GOAL_TAG, rowid),
                "type": "pageview" if is_pageview else "custom",
                "visitorId": visitor_id,
                "timestamp": iso_utc(ts),
                "path": names.path(page_id) if is_pageview else None,
                "countryCode": country,
                "extraData": {} if is_pageview else {"eventName": goal, **json.loads(metadata or "{}")},
                "referrer": referrer,
                "customerName": customer_name,
                "amount": None,
                "displayName": customer_name,
            }
        )
    return events


def _people(conn: sqlite3.Connection, vkeys: set[int]) -> dict[int, tuple]:
    """vkey -> (visitor id, country code, latest referrer domain or None, customer name)."""
    people = {}
    for vkey in vkeys:
        visitor_id, country, customer_name = conn.execute(
            "SELECT visitor_id, country, customer_name FROM visitors WHERE vkey = ?", (vkey,)
        ).fetchone()
        referrer = conn.execute(
            "SELECT referrer_domain FROM sessions WHERE vkey = ? ORDER BY start_ms DESC LIMIT 1", (vkey,)
        ).fetchone()
        people[vkey] = (visitor_id, country, or_none(referrer[0]) if referrer else None, customer_name)
    return people


def _recent_payments(conn: sqlite3.Connection, since: int, now: int) -> list[dict[str, object]]:
    rows = conn.execute(
        "SELECT p.pid, p.ts, p.name, p.email, p.amount, p.currency, p.kind, p.vkey,"
        " NOT EXISTS (SELECT 1 FROM payments q WHERE q.vkey = p.vkey AND q.pid != p.pid AND q.ts <= p.ts)"
        " FROM payments p WHERE p.ts > ? AND p.ts <= ? AND p.kind != 'refund' ORDER BY p.ts DESC, p.pid DESC",
        (since, now),
    ).fetchall()
    return [
        {
            "_id": object_id(ts, PAYMENT_TAG, pid),
            "type": "payment_received",
            "timestamp": iso_utc(ts),
            "name": name,
            "email": email,
            "amount": money(amount),
            "currency": currency,
            "renewal": kind == "renewal",
            "displayName": name,
            "isNew": bool(first) and vkey is not None,
            "visible": True,
        }
        for pid, ts, name, email, amount, currency, kind, vkey, first in rows
    ]
