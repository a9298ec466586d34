"""`GET visitors/{datafast_visitor_id}`: identity, activity and prediction of one visitor.

`identity.country` is the ISO country code (as in the docs' example), `region` an ISO
3166-2 code, `city` a name; `params` are the first session's, `adClickIds` the click id
an ad visit carries. Both generations of the activity are sent, as the live API does:
February's `completedCustomGoals` (custom goals) and today's canonical `completedGoals`
(custom goals with origin "manual" plus the payment provider's lifecycle goals with origin
"payment_provider"), and `activity.payments`. `profile` (what Identify stored) is there for
customers only. `prediction` is null for customers. Unknown visitors and visitors without
a pageview yet are 404, bots 400.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import TYPE_CHECKING

from datafast_tui.demo.errors import ApiError, not_found, success
from datafast_tui.demo.formats import iso_utc, or_none
from datafast_tui.demo.params import ApiRequest
from datafast_tui.demo.realtime import is_customer

if TYPE_CHECKING:
    from datafast_tui.demo.database import DemoDatabase

IDENTITY_PARAMS = ("ref", "source", "via", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
#: The click id an ad network appends to its links, by utm_source.
CLICK_ID_KEYS = {"google": "gclid", "facebook": "fbclid", "instagram": "fbclid", "bing": "msclkid",
                 "twitter": "twclid", "x": "twclid", "linkedin": "li_fat_id", "tiktok": "ttclid"}
PAID_MEDIUMS = frozenset({"cpc", "ppc", "paid", "paid_social", "ads"})
MANUAL, PAYMENT_PROVIDER = "manual", "payment_provider"


def find_human_visitor(conn: sqlite3.Connection, visitor_id: str) -> int:
    """The vkey of a visitor that exists, is no bot and has a pageview; else the documented error."""
    row = conn.execute("SELECT vkey, is_bot FROM visitors WHERE visitor_id = ?", (visitor_id,)).fetchone()
    if row is None:
        raise not_found(f"Visitor '{visitor_id}' not found")
    if row[1]:
        raise ApiError(400, f"Visitor '{visitor_id}' is a bot; bot traffic is excluded")
    if conn.execute("SELECT 1 FROM pageviews WHERE vkey = ? LIMIT 1", (row[0],)).fetchone() is None:
        raise not_found(f"Visitor '{visitor_id}' has no pageviews yet")
    return row[0]


def visitor(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    visitor_id = req.path["visitor_id"]
    with db.read() as (conn, now):
        vkey = find_human_visitor(conn, visitor_id)
        v = conn.execute(
            "SELECT country, region, city, browser, browser_version, os, os_version, device, device_vendor,"
            " device_model, viewport_width, viewport_height, pred_score, pred_rate, pred_value, pred_confidence"
            " FROM visitors WHERE vkey = ?",
            (vkey,),
        ).fetchone()
        sessions = conn.execute(
            "SELECT start_ms, " + ", ".join(IDENTITY_PARAMS) + " FROM sessions WHERE vkey = ? ORDER BY start_ms",
            (vkey,),
        ).fetchall()
        pages = conn.execute("SELECT ts, page_id FROM pageviews WHERE vkey = ? ORDER BY ts, pv", (vkey,)).fetchall()
        goals = conn.execute(
            "SELECT name, is_server, ts, metadata, description FROM goals WHERE vkey = ? ORDER BY ts, gid", (vkey,)
        ).fetchall()
        payments = conn.execute(
            "SELECT ts, amount, currency, kind, transaction_id, customer_id, email, name FROM payments"
            " WHERE vkey = ? ORDER BY ts, pid", (vkey,)
        ).fetchall()
        customer = is_customer(conn, vkey)
    names = db.names
    first_pageview = pages[0][0]
    params = {key: or_none(value) for key, value in zip(IDENTITY_PARAMS, sessions[0][1:])}
    custom = [_custom_goal(name, server, ts, metadata, description or names.goal_description(name))
              for name, server, ts, metadata, description in goals]
    return success(
        {
            "visitorId": visitor_id,
            "identity": {
                "country": v[0],
                "countryCode": v[0],
                "region": v[1],
                "city": v[2],
                "params": params,
                "adClickIds": _ad_click_ids(visitor_id, params),
                "browser": {"name": v[3], "version": v[4]},
                "os": {"name": v[5], "version": v[6]},
                "device": {"type": v[7], "vendor": v[8], "model": v[9]},
                "viewport": {"width": v[10], "height": v[11]},
            },
            "activity": {
                "visitCount": len(sessions),
                "pageViewCount": len(pages),
                "timeSinceFirstVisit": max(0, now - first_pageview),
                "timeSinceCurrentVisit": max(0, now - sessions[-1][0]),
                "firstVisitAt": iso_utc(sessions[0][0]),
                "lastVisitAt": iso_utc(sessions[-1][0]),
                "currentUrl": names.url(pages[-1][1]),
                "visitedPages": [{"url": names.url(p), "timestamp": iso_utc(ts)} for ts, p in pages],
                "completedCustomGoals": [{k: g[k] for k in CUSTOM_GOAL_KEYS if k in g} for g in custom],
                "completedGoals": sorted(custom + _lifecycle_goals(payments), key=lambda g: g["timestamp"]),
                "payments": [_payment(row) for row in payments],
            },
            "profile": _profile(payments) if customer else None,
            "prediction": None
            if customer
            else {
                "score": v[12],
                "conversionRate": v[13],
                "expectedValue": v[14],
                "confidence": v[15],
            },
        }
    )


#: February's item keys (completedGoals items add `origin`).
CUSTOM_GOAL_KEYS = ("name", "description", "isServer", "timestamp", "metadata")


def _custom_goal(name: str, server: int, ts: int, metadata: str | None, description: str | None) -> dict[str, object]:
    goal: dict[str, object] = {"name": name, "description": description, "isServer": bool(server),
                               "timestamp": iso_utc(ts), "origin": MANUAL}
    if metadata:
        goal["metadata"] = json.loads(metadata)
    return goal


def _lifecycle_goals(payments: list[tuple]) -> list[dict[str, object]]:
    """The goals the payment provider's events make: a first payment starts a subscription when
    renewals follow, a zero amount is a free trial, each renewal renews it."""
    renews = any(kind == "renewal" for _, _, _, kind, *_ in payments)
    goals: list[dict[str, object]] = []
    started = False
    for ts, amount, _currency, kind, *_ in payments:
        names = []
        if kind == "new" and amount == 0:
            names = ["free_trial"]
        elif kind == "new":
            names = ["payment"] + (["subscription_started"] if renews and not started else [])
            started = started or renews
        elif kind == "renewal":
            names = ["payment", "subscription_renewed"]
        for name in names:
            goals.append({"name": name, "description": None, "isServer": True, "timestamp": iso_utc(ts),
                          "origin": PAYMENT_PROVIDER})
    return goals


def _payment(row: tuple) -> dict[str, object]:
    ts, amount, currency, kind, transaction_id, *_ = row
    return {"transaction_id": transaction_id, "amount": amount, "currency": currency, "timestamp": iso_utc(ts),
            "renewal": kind == "renewal", "refunded": kind == "refund", "is_free_trial": kind == "new" and amount == 0}


def _profile(payments: list[tuple]) -> dict[str, object] | None:
    """What Identify stored for a customer: the id the site knows them by, and their email."""
    known = [(ts, customer_id, email, name) for ts, _, _, _, _, customer_id, email, name in payments if customer_id]
    if not known:
        return None
    ts, customer_id, email, name = known[0]
    metadata = {k: v for k, v in (("email", email), ("name", name)) if v}
    return {"userId": customer_id, "metadata": metadata, "identifiedAt": iso_utc(ts)}


def _ad_click_ids(visitor_id: str, params: dict[str, str | None]) -> dict[str, str]:
    """A click id for a first visit from a paid ad (made from the visitor id, so it is stable)."""
    medium = (params.get("utm_medium") or "").lower()
    source = (params.get("utm_source") or "").lower()
    if medium not in PAID_MEDIUMS:
        return {}
    key = CLICK_ID_KEYS.get(source, "gclid")
    return {key: hashlib.sha256(f"{key}:{visitor_id}".encode()).hexdigest()[:32]}
