"""The eleven `analytics/<dimension>` breakdowns.

Rows are sorted by visitors, descending, ties by the dimension's key, and paginated with
`limit` / `offset`; `pagination.total` is the number of distinct rows. Which sessions and
events count follows metrics.py and filters.py: session attributes (country, device,
referrer, campaign, ...) count the sessions that started in the range; pages and hostnames
count pageviews in the range, goals count completions in the range. `revenue` of a row is
the revenue (new + renewal) of payments in the range attributed to sessions of that row;
for pages and hostnames, to sessions that viewed the page or host. `payments` (today's pages:
"visitors, attributed revenue, and payment count per row") counts those payments.

`fields` applies where the docs show it: campaigns (a subset of the campaign keys: rows
are then grouped by those keys only) and goals (`goal`, `name` as an alias of `goal`,
`completions`, `visitors`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from datafast_tui.demo.audience import CAMPAIGN_KEYS
from datafast_tui.demo.filters import Scope, parse_filters, scope_for
from datafast_tui.demo.geography import FLAG_URL
from datafast_tui.demo.metrics import earliest_event_ms, money
from datafast_tui.demo.params import (
    ApiRequest,
    parse_fields,
    parse_pagination,
    parse_range,
    parse_timezone,
)

if TYPE_CHECKING:
    from datafast_tui.demo.database import DemoDatabase
    from datafast_tui.demo.names import Names

GOAL_FIELDS = ("goal", "name", "completions", "visitors")


def _country(names: Names, code: str) -> dict[str, object]:
    return {"country": names.country(code), "image": FLAG_URL.format(code=code)}


def _region(names: Names, code: str) -> dict[str, object]:
    return {"region": names.region(code)}


def _page(names: Names, page_id: int) -> dict[str, object]:
    hostname, path = names.pages[page_id]
    return {"hostname": hostname, "path": path}


@dataclass(frozen=True, slots=True)
class Dimension:
    """How one breakdown groups: its event table and key columns, and how a key is shown.

    `render(names, *key_values)` gives the row's label fields; `names` is the store's Names.
    """

    table: str  # sessions | pageviews | goals
    keys: tuple[str, ...]
    render: Callable[..., dict[str, object]]


def _label(name: str) -> Callable[[Names, str], dict[str, object]]:
    return lambda names, value: {name: value}


DIMENSIONS: dict[str, Dimension] = {
    "devices": Dimension("sessions", ("s.device",), _label("device")),
    "browsers": Dimension("sessions", ("s.browser",), _label("browser")),
    "operating-systems": Dimension("sessions", ("s.os",), _label("operating_system")),
    "countries": Dimension("sessions", ("s.country",), _country),
    "regions": Dimension("sessions", ("s.region",), _region),
    "cities": Dimension("sessions", ("s.city",), _label("city")),
    "referrers": Dimension("sessions", ("s.referrer",), _label("referrer")),
    "pages": Dimension("pageviews", ("e.page_id",), _page),
    "hostnames": Dimension("pageviews", ("e.host_id",), lambda names, hid: {"hostname": names.hostnames[hid]}),
    "goals": Dimension("goals", ("e.name",), _label("goal")),
}


def _grouped_sql(dim: Dimension, scope: Scope, where: str, *, page: bool) -> str:
    """Groups with their visitors; `page`: sorted, one page of them, each with the group count."""
    keys = ", ".join(dim.keys)
    # "+" keeps SQLite off the time index: the (key, vkey, time) covering index is faster
    # even for a week, because it yields groups and distinct visitors already sorted.
    if dim.table == "sessions":
        source, when, extra = "sessions s", "+s.start_ms", scope.and_sql()
    else:
        source, when, extra = f"{dim.table} e", "+e.ts", scope.and_sql()
        if scope.active:  # the events of the selected sessions
            source += " JOIN sessions s ON s.skey = e.skey"
    completions = ", COUNT(*)" if dim.table == "goals" else ""
    sql = (
        f"SELECT {keys}, COUNT(DISTINCT {'s' if dim.table == 'sessions' else 'e'}.vkey) AS v{completions}"
        f"{', COUNT(*) OVER ()' if page else ''} FROM {source} WHERE {when} >= ? AND {when} < ?{where}{extra}"
        f" GROUP BY {keys}"
    )
    return sql + f" ORDER BY v DESC, {keys} LIMIT ? OFFSET ?" if page else sql


def _revenue(conn: sqlite3.Connection, dim: Dimension, lo: int, hi: int,
             scope: Scope) -> dict[tuple, tuple[float, int]]:
    """(revenue, payment count) by the row's keys."""
    keys = ", ".join(dim.keys)
    if dim.table == "sessions":
        source, args = "payments p JOIN sessions s ON s.skey = p.skey", (lo, hi, *scope.args)
    else:
        # The distinct pages (or hosts) each paying session viewed.
        column = dim.keys[0].split(".")[1]
        source = (
            f"payments p JOIN (SELECT DISTINCT skey, {column} FROM pageviews WHERE skey IN"
            " (SELECT skey FROM payments WHERE ts >= ? AND ts < ?)) e ON e.skey = p.skey"
        )
        source += " JOIN sessions s ON s.skey = p.skey" if scope.active else ""
        args = (lo, hi, lo, hi, *scope.args)
    rows = conn.execute(
        f"SELECT {keys}, TOTAL(p.amount), COUNT(*) FROM {source} WHERE p.ts >= ? AND p.ts < ? AND p.kind != 'refund'"
        f"{scope.and_sql()} GROUP BY {keys}",
        args,
    )
    return {tuple(row[:-2]): (row[-2], row[-1]) for row in rows}


def _money(cash: dict[tuple, tuple[float, int]], key: tuple) -> dict[str, object]:
    revenue, count = cash.get(key, (0.0, 0))
    return {"revenue": money(revenue), "payments": count}


def _query(
    db: DemoDatabase, req: ApiRequest, dim: Dimension, where: str = ""
) -> tuple[list[tuple], dict[tuple, tuple[float, int]], int, int, int]:
    """Rows of (keys..., visitors[, completions], total), revenue by key, total, limit, offset."""
    tz = parse_timezone(req.query)
    limit, offset = parse_pagination(req.query)
    scope = scope_for(parse_filters(req.items), db.names)
    with db.read() as (conn, now):
        lo, hi = parse_range(req.query, tz, now, earliest_event_ms(conn, db.start_ms)).clipped(now)
        args = (lo, hi, *scope.args)
        rows = conn.execute(_grouped_sql(dim, scope, where, page=True), (*args, limit, offset)).fetchall()
        if rows:
            total = rows[0][-1]
        else:  # past the last page: count the groups on their own
            total = conn.execute(
                f"SELECT COUNT(*) FROM ({_grouped_sql(dim, scope, where, page=False)})", args
            ).fetchone()[0]
        revenue = _revenue(conn, dim, lo, hi, scope) if dim.table != "goals" else {}
    return rows, revenue, total, limit, offset


def _grouped(name: str) -> Callable[[DemoDatabase, ApiRequest], dict[str, object]]:
    """The endpoint function for `analytics/<name>` of a one-key dimension (not goals or campaigns)."""
    dim = DIMENSIONS[name]

    def endpoint(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
        rows, revenue, total, limit, offset = _query(db, req, dim)
        data = [
            {**dim.render(db.names, row[0]), "visitors": row[1], **_money(revenue, (row[0],))}
            for row in rows
        ]
        return {"status": "success", "data": data, "pagination": {"limit": limit, "offset": offset, "total": total}}

    return endpoint


def goals(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    fields = [
        "goal" if f == "name" else f for f in parse_fields(req.query, GOAL_FIELDS, GOAL_FIELDS[:1] + GOAL_FIELDS[2:])
    ]
    rows, _, total, limit, offset = _query(db, req, DIMENSIONS["goals"])
    data = []
    for goal, visitors, completions, _total in rows:
        values = {"goal": goal, "completions": completions, "visitors": visitors}
        data.append({f: values[f] for f in dict.fromkeys(fields)})
    return {"status": "success", "data": data, "pagination": {"limit": limit, "offset": offset, "total": total}}


def campaigns(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    fields = parse_fields(req.query, CAMPAIGN_KEYS, CAMPAIGN_KEYS)
    dim = Dimension("sessions", tuple(f"s.{f}" for f in fields), lambda names, *values: dict(zip(fields, values)))
    # Sessions without any of the selected parameters are not a campaign.
    where = " AND s.has_campaign = 1 AND (" + " OR ".join(f"s.{f} != ''" for f in fields) + ")"
    rows, revenue, total, limit, offset = _query(db, req, dim, where)
    n = len(fields)
    data = [
        {
            "campaign": dim.render(db.names, *row[:n]),
            "visitors": row[n],
            **_money(revenue, tuple(row[:n])),
        }
        for row in rows
    ]
    return {"status": "success", "data": data, "pagination": {"limit": limit, "offset": offset, "total": total}}


#: The demo's own table of the eleven breakdowns: `analytics/<name>` -> its endpoint function.
#: (The app keeps its own, api/catalogue.py; tests/unit/test_catalogue.py checks both against the docs.)
ENDPOINTS: dict[str, Callable[[DemoDatabase, ApiRequest], dict[str, object]]] = {
    **{name: _grouped(name) for name in DIMENSIONS if name != "goals"},
    "goals": goals,
    "campaigns": campaigns,
}
