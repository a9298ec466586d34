"""SQL for the headline numbers: visitors, sessions, bounce, duration, revenue.

Definitions (shared by overview and timeseries, so their totals always agree):

- A session belongs to the period in which it **started**; visitors are the distinct
  visitors of the sessions that started in the period; pageviews are those sessions'
  pageviews; bounce rate is the percentage of those sessions with a single pageview;
  duration runs from the first pageview to the last activity, in milliseconds.
- A payment belongs to the period of its own timestamp. Revenue is new + renewal; refunds
  are reported apart (`revenueBreakdown.refund`) and are not revenue. With filters active,
  only payments attributed to a selected session count.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from datafast_tui.demo.filters import Scope


def money(value: float) -> float | int:
    """Round to cents; whole amounts as integers (the docs show `"revenue": 27351`)."""
    rounded = round(value or 0.0, 2)
    return int(rounded) if rounded == int(rounded) else rounded


@dataclass(frozen=True, slots=True)
class SessionTotals:
    visitors: int = 0
    sessions: int = 0
    bounces: int = 0
    avg_duration_ms: float = 0.0
    pageviews: int = 0


@dataclass(frozen=True, slots=True)
class RevenueTotals:
    new: float = 0.0
    renewal: float = 0.0
    refund: float = 0.0
    payments: int = 0
    paying_visitors: int = 0

    @property
    def revenue(self) -> float:
        return self.new + self.renewal

    def breakdown(self) -> dict[str, float]:
        return {"new": round(self.new, 2), "renewal": round(self.renewal, 2), "refund": round(self.refund, 2)}


WIDE_RANGE_MS = 2 * 86_400_000


def time_column(column: str, lo: int, hi: int) -> str:
    """`column`, or `+column` for wide ranges: the unary plus keeps SQLite off the time index,
    so it reads a covering index ordered by visitor instead (cheaper distinct counts)."""
    return f"+{column}" if hi - lo > WIDE_RANGE_MS else column


def _sessions_in(lo: int, hi: int) -> str:
    when = time_column("s.start_ms", lo, hi)
    return f" FROM sessions s WHERE {when} >= ? AND {when} < ?"


def visitors_and_sessions(conn: sqlite3.Connection, lo: int, hi: int, scope: Scope) -> tuple[int, int]:
    """Distinct visitors and sessions of the sessions started in [lo, hi)."""
    args = (lo, hi, *scope.args)
    if scope.active:  # let the planner start from the filter's index
        row = conn.execute(
            "SELECT COUNT(DISTINCT s.vkey), COUNT(*)" + _sessions_in(lo, hi) + scope.and_sql(), args
        ).fetchone()
        return row[0], row[1]
    # Unfiltered, COUNT(DISTINCT) alone reads the visitor-ordered index without a temp tree.
    visitors = conn.execute("SELECT COUNT(DISTINCT s.vkey)" + _sessions_in(lo, hi), args).fetchone()[0]
    return visitors, conn.execute("SELECT COUNT(*)" + _sessions_in(lo, hi), args).fetchone()[0]


def session_totals(conn: sqlite3.Connection, lo: int, hi: int, scope: Scope) -> SessionTotals:
    visitors, sessions = visitors_and_sessions(conn, lo, hi, scope)
    row = conn.execute(
        "SELECT TOTAL(s.pageviews = 1), AVG(s.end_ms - s.start_ms), TOTAL(s.pageviews)"
        + _sessions_in(lo, hi)
        + scope.and_sql(),
        (lo, hi, *scope.args),
    ).fetchone()
    return SessionTotals(visitors, sessions, int(row[0]), row[1] or 0.0, int(row[2]))


def _sessions_of_payments(scope: Scope) -> str:
    # Unfiltered: every payment, attributed or not. Filtered: only those of selected sessions.
    return " JOIN sessions s ON s.skey = p.skey" if scope.active else ""


def revenue_totals(conn: sqlite3.Connection, lo: int, hi: int, scope: Scope) -> RevenueTotals:
    row = conn.execute(
        "SELECT TOTAL(CASE WHEN p.kind = 'new' THEN p.amount END), TOTAL(CASE WHEN p.kind = 'renewal' THEN p.amount END),"
        " TOTAL(CASE WHEN p.kind = 'refund' THEN p.amount END), COUNT(CASE WHEN p.kind != 'refund' THEN 1 END),"
        " COUNT(DISTINCT CASE WHEN p.kind != 'refund' THEN p.vkey END)"
        f" FROM payments p{_sessions_of_payments(scope)} WHERE p.ts >= ? AND p.ts < ?" + scope.and_sql(),
        (lo, hi, *scope.args),
    ).fetchone()
    return RevenueTotals(row[0], row[1], row[2], row[3], row[4])


_BUCKETS_CTE = "WITH b(i, lo, hi) AS (SELECT key, value ->> 0, value ->> 1 FROM json_each(?)) "


def bucket_sessions(
    conn: sqlite3.Connection, buckets: list[tuple[int, int]], scope: Scope
) -> dict[int, tuple[int, int]]:
    """Bucket index -> (visitors, sessions) for sessions starting in each [lo, hi)."""
    # Correlated subqueries per bucket beat a join + GROUP BY (no sort of all sessions).
    in_bucket = "FROM sessions s WHERE s.start_ms >= b.lo AND s.start_ms < b.hi" + scope.and_sql()
    rows = conn.execute(
        _BUCKETS_CTE + f"SELECT b.i, (SELECT COUNT(DISTINCT s.vkey) {in_bucket}), (SELECT COUNT(*) {in_bucket}) FROM b",
        (json.dumps(buckets), *scope.args, *scope.args),
    )
    return {i: (visitors, sessions) for i, visitors, sessions in rows if sessions}


def bucket_revenue(conn: sqlite3.Connection, buckets: list[tuple[int, int]], scope: Scope) -> dict[int, RevenueTotals]:
    """Bucket index -> revenue of the payments timestamped in each [lo, hi)."""
    rows = conn.execute(
        _BUCKETS_CTE + "SELECT b.i, TOTAL(CASE WHEN p.kind = 'new' THEN p.amount END),"
        " TOTAL(CASE WHEN p.kind = 'renewal' THEN p.amount END), TOTAL(CASE WHEN p.kind = 'refund' THEN p.amount END),"
        " COUNT(CASE WHEN p.kind != 'refund' THEN 1 END)"
        " FROM b JOIN payments p ON p.ts >= b.lo AND p.ts < b.hi"
        + _sessions_of_payments(scope)
        + scope.and_sql()
        + " GROUP BY b.i",
        (json.dumps(buckets), *scope.args),
    )
    return {i: RevenueTotals(new, renewal, refund, count) for i, new, renewal, refund, count in rows}


def earliest_event_ms(conn: sqlite3.Connection, site_start_ms: int) -> int:
    """Where "all time" begins: the site's first day, or an older back-filled payment."""
    oldest_payment = conn.execute("SELECT MIN(ts) FROM payments").fetchone()[0]
    return min(site_start_ms, oldest_payment) if oldest_payment is not None else site_start_ms
