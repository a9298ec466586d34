"""`GET visitors`: the visitors who match, most recently seen first, paged with `hasMore`.

Today's pages (not February's) document it: `limit` (default 100, at most 250) and `offset`,
`startAt`/`endAt`, and plain filter parameters without the `filter_` prefix or operators:
`visitedPage`/`page` (exact paths, comma-separated, at most 50), `visitedPageContains`/
`pageContains`, `completedGoal`/`goal`, `country`, `region`, `city`, `browser`, `os`,
`device`, `referrer`, `hostname`, the UTM fields, `ref`, `source`, `via`, and
`isCustomer`/`hasRevenue` (true or false; not with `completedGoal`). Each row has the
visitor's `identity`, `currentUrl`, `acquisition` (the first session's referrer and campaign;
the pages' example names the key, its fields are ours) and `isCustomer`. The answer's
`pagination` is `{limit, offset, hasMore}`: there is no total. Without a range, all time
(the pages do not say; the analytics endpoints read it so). Bots are left out.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from datafast_tui.demo.errors import bad_request, success
from datafast_tui.demo.filters import Filter, scope_for
from datafast_tui.demo.formats import iso_utc
from datafast_tui.demo.metrics import earliest_event_ms
from datafast_tui.demo.params import ApiRequest, _int_param, parse_range, parse_timezone

if TYPE_CHECKING:
    from datafast_tui.demo.database import DemoDatabase

MAX_LIMIT = 250
MAX_VALUES = 50
#: Plain parameter (and its alias) -> the analytics filter it means, with its operator.
PLAIN = {
    "visitedPage": ("page", "is"), "page": ("page", "is"),
    "visitedPageContains": ("page", "contains"), "pageContains": ("page", "contains"),
    "completedGoal": ("goal", "is"), "goal": ("goal", "is"),
    **{name: (name, "is") for name in ("country", "region", "city", "browser", "os", "device", "referrer",
                                       "hostname", "utm_source", "utm_medium", "utm_campaign", "utm_term",
                                       "utm_content", "ref", "source", "via")},
}


def _filters(req: ApiRequest) -> list[Filter]:
    filters: dict[str, Filter] = {}
    for name, (dimension, operator) in PLAIN.items():
        raw = req.query.get(name)
        if raw is None:
            continue
        values = tuple(v.strip() for v in raw.split(","))
        if not all(values):
            raise bad_request(f"Invalid {name} '{raw}': empty value")
        if len(values) > MAX_VALUES:
            raise bad_request(f"Invalid {name}: {len(values)} values; at most {MAX_VALUES}")
        key = f"{dimension}:{operator}"
        if key in filters:
            raise bad_request(f"{name} and its alias were both given")
        filters[key] = Filter(dimension, operator, values)
    return list(filters.values())


def _customer(req: ApiRequest) -> bool | None:
    raw = req.query.get("isCustomer", req.query.get("hasRevenue"))
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise bad_request(f"Invalid isCustomer '{raw}': use true or false")
    if req.query.get("completedGoal") or req.query.get("goal"):
        raise bad_request("isCustomer/hasRevenue cannot be combined with completedGoal")
    return raw == "true"


#: The first session's fields a row's `acquisition` holds (empty ones are left out).
ACQUISITION = ("referrer", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "ref", "source", "via")


def _acquisition(conn: sqlite3.Connection, vkey: int) -> dict[str, str]:
    """Where the visitor first came from: their first session's referrer and campaign."""
    row = conn.execute(f"SELECT {', '.join(ACQUISITION)} FROM sessions WHERE vkey = ? ORDER BY start_ms LIMIT 1",
                       (vkey,)).fetchone()
    return {key: value for key, value in zip(ACQUISITION, row or (), strict=False) if value}


def visitors(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    limit = _int_param(req.query, "limit", 100, 1, MAX_LIMIT)
    offset = _int_param(req.query, "offset", 0, 0, 10_000_000)
    tz = parse_timezone(req.query)
    scope = scope_for(_filters(req), db.names)
    customer = _customer(req)
    paying = "" if customer is None else (
        f" AND {'' if customer else 'NOT '}EXISTS (SELECT 1 FROM payments p WHERE p.vkey = s.vkey)")
    with db.read() as (conn, now):
        lo, hi = parse_range(req.query, tz, now, earliest_event_ms(conn, db.start_ms)).clipped(now)
        rows = conn.execute(
            "SELECT v.vkey, v.visitor_id, MIN(MAX(s.end_ms), ?) AS seen, v.country, v.region, v.city, v.browser, v.os, v.device"
            " FROM sessions s JOIN visitors v ON v.vkey = s.vkey"
            f" WHERE v.is_bot = 0 AND s.start_ms >= ? AND s.start_ms < ?{scope.and_sql()}{paying}"
            " GROUP BY s.vkey ORDER BY seen DESC, v.vkey LIMIT ? OFFSET ?",
            (now, lo, hi, *scope.args, limit + 1, offset),  # one more than asked: whether there is more
        ).fetchall()
        pages = {vkey: conn.execute("SELECT page_id FROM pageviews WHERE vkey = ? AND ts <= ? ORDER BY ts DESC"
                                    " LIMIT 1", (vkey, now)).fetchone() for vkey, *_ in rows[:limit]}
        firsts = {vkey: _acquisition(conn, vkey) for vkey, *_ in rows[:limit]}
        customers = {vkey for vkey, *_ in rows[:limit] if conn.execute(
            "SELECT 1 FROM payments WHERE vkey = ? AND kind != 'refund' AND ts <= ? LIMIT 1", (vkey, now)).fetchone()}
    data = [
        {"visitorId": vid, "lastSeenAt": iso_utc(seen),
         "currentUrl": db.names.url(pages[vkey][0]) if pages.get(vkey) else None,
         "identity": {"country": country, "region": region, "city": city, "browser": browser, "os": os,
                      "device": device},
         "acquisition": firsts[vkey], "isCustomer": vkey in customers}
        for vkey, vid, seen, country, region, city, browser, os, device in rows[:limit]
    ]
    return success(data, pagination={"limit": limit, "offset": offset, "hasMore": len(rows) > limit})
