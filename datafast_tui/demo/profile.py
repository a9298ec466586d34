"""`GET visitors/{datafast_visitor_id}`: identity, activity and prediction of one visitor.

`identity.country` is the ISO country code (as in the docs' example), `region` an ISO
3166-2 code, `city` a name; `params` are the first session's. `activity.completedGoals`
repeats `completedCustomGoals` (the live API sends both). `prediction` is null for
customers. Unknown visitors and visitors without a pageview yet are 404, bots 400.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from datafast_tui.demo.errors import ApiError, not_found, success
from datafast_tui.demo.formats import iso_utc, or_none
from datafast_tui.demo.params import ApiRequest
from datafast_tui.demo.realtime import is_customer

if TYPE_CHECKING:
    from datafast_tui.demo.database import DemoDatabase

IDENTITY_PARAMS = ("ref", "source", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")


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
            "SELECT name, is_server, ts FROM goals WHERE vkey = ? ORDER BY ts, gid", (vkey,)
        ).fetchall()
        customer = is_customer(conn, vkey)
    names = db.names
    first_pageview = pages[0][0]
    completed = [
        {"name": name, "description": names.goal_description(name), "isServer": bool(server), "timestamp": iso_utc(ts)}
        for name, server, ts in goals
    ]
    return success(
        {
            "visitorId": visitor_id,
            "identity": {
                "country": v[0],
                "countryCode": v[0],
                "region": v[1],
                "city": v[2],
                "params": {key: or_none(value) for key, value in zip(IDENTITY_PARAMS, sessions[0][1:])},
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
                "completedCustomGoals": completed,
                "completedGoals": completed,
            },
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
