"""Deterministic generator of the demo site's history (about 90 days up to a reference time).

Same seed and same reference time give the same rows, byte for byte. The history is
written into an empty SQLite connection; caching it on disk is database.py's job.
A `hostile` history is the same traffic with hostile strings laced into its text columns
(hostile_rows.py) and `hostile = 1` in its meta table; the normal one has no such row.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable
from datetime import datetime, time, timedelta, timezone

from datafast_tui.demo import schema
from datafast_tui.demo.hostile_rows import PlainRows, rows_for
from datafast_tui.demo.rhythm import (
    HISTORY_DAYS,
    SITE_TZ,
    new_visitors_per_hour,
    poisson,
)
from datafast_tui.demo.rows import (
    BOT_PREDICTION,
    goal_row,
    pageview_row,
    payment_row,
    session_row,
    truncate_session,
    visitor_row,
)
from datafast_tui.demo.site import PAGES
from datafast_tui.demo.traffic import (
    DAY_MS,
    HOUR_MS,
    SESSION_GAP_MS,
    SessionDraft,
    VisitorDraft,
    make_customer,
    new_visitor,
    prediction,
    synthesize_session,
    transaction_id,
)

# Bump whenever the generated data changes: cached stores of other versions are rebuilt.
GENERATOR_VERSION = 3
VISITORS_WITHOUT_PAGEVIEWS = 24  # their tracking cookie was set but the pageview was blocked
GHOST_PREDICTION = (50, 0.0044, 1.072, 0.1)  # nothing known about them: the baseline
REFUND_SHARE = 0.04
MONTHLY_CHURN = 0.12


#: The part of the work the traffic takes (writing the tables and their indexes is the rest).
GENERATING_SHARE = 0.55


def site_start_ms(reference_ms: int) -> int:
    """Local midnight (site timezone) HISTORY_DAYS days before the reference date."""
    ref_local = datetime.fromtimestamp(reference_ms / 1000, timezone.utc).astimezone(SITE_TZ)
    start_date = ref_local.date() - timedelta(days=HISTORY_DAYS)
    return int(datetime.combine(start_date, time(0), tzinfo=SITE_TZ).timestamp() * 1000)


class _Rows:
    """Rows collected per table, written in bulk at the end."""

    def __init__(self) -> None:
        self.visitors: list[tuple] = []
        self.sessions: list[tuple] = []
        self.pageviews: list[tuple] = []
        self.goals: list[tuple] = []
        self.payments: list[tuple] = []
        self.bot_hits: list[tuple] = []
        self.next_skey = 1

    def add_session(self, s: SessionDraft) -> None:
        s.skey = self.next_skey
        self.next_skey += 1
        self.sessions.append(session_row(s))
        self.pageviews.extend(pageview_row(s, ts, page_id) for ts, page_id in s.pageviews)
        self.goals.extend(goal_row(s, g) for g in s.goals)


def _return_gap_ms(rng: random.Random) -> int:
    # Mostly back within a week, at about the same time of day (which keeps the daily rhythm).
    days = rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 7, 9, 12, 14, 20, 27))
    return days * DAY_MS + int(rng.gauss(0, 2.5) * HOUR_MS)


def _visitor_history(rng: random.Random, rows: _Rows, visitor: VisitorDraft, first_ms: int, until_ms: int) -> None:
    """All sessions, goals and payments of one (human) visitor, from the first visit on."""
    sessions: list[SessionDraft] = []
    start, visit, engaged = first_ms, 1, False
    while start < until_ms:
        session = synthesize_session(rng, visitor, start, visit, engaged)
        truncate_session(session, until_ms)
        sessions.append(session)
        engaged = engaged or any(g[1] == "signup" for g in session.goals)
        keeps_coming = 0.65 if engaged else (0.28 if visit == 1 else 0.42)
        if rng.random() >= keeps_coming:
            break
        start = max(session.end_ms + SESSION_GAP_MS + 60_000, session.start_ms + _return_gap_ms(rng))
        visit += 1
    for session in sessions:
        rows.add_session(session)
    purchases = [(s.purchase, s) for s in sessions if s.purchase]
    if purchases and visitor.customer is None:
        visitor.customer = make_customer(rng)
    for (ts, plan), session in purchases:
        kind = "refund" if rng.random() < REFUND_SHARE else "new"
        rows.payments.append(payment_row(transaction_id(rng), visitor, session.skey, ts, plan.amount, kind))
        if kind == "refund" or plan.renews_every_days is None:
            continue
        renewal = ts + plan.renews_every_days * DAY_MS
        while renewal < until_ms and rng.random() >= MONTHLY_CHURN:
            # A renewal belongs to the customer's latest session before it.
            latest = max((s for s in sessions if s.start_ms <= renewal), key=lambda s: s.start_ms)
            rows.payments.append(
                payment_row(transaction_id(rng), visitor, latest.skey, renewal, plan.amount, "renewal")
            )
            renewal += plan.renews_every_days * DAY_MS
    rows.visitors.append(visitor_row(visitor, prediction(rng, visitor, sessions[0])))


def _bot(rng: random.Random, rows: _Rows, visitor: VisitorDraft, first_ms: int, until_ms: int) -> None:
    ts = first_ms
    for _ in range(rng.randint(1, 30)):
        if ts >= until_ms:
            break
        rows.bot_hits.append((visitor.vkey, ts, rng.randrange(len(PAGES))))
        ts += rng.randint(200, 5_000)
    rows.visitors.append(visitor_row(visitor, BOT_PREDICTION))


Progress = Callable[[float], None]


def generate_history(conn: sqlite3.Connection, seed: int, reference_ms: int, *, hostile: bool = False,
                     progress: Progress | None = None) -> None:
    """Fill an empty connection with the history ending at `reference_ms` (exclusive).

    `progress(fraction)` is told how far it got (0 to 1), about a hundred times.
    """
    rng = random.Random(seed)
    rows = _Rows()
    start_ms = site_start_ms(reference_ms)
    vkey = 0
    hours = max(1, (reference_ms - start_ms) // HOUR_MS)
    for index, hour_ms in enumerate(range(start_ms, reference_ms, HOUR_MS)):
        if progress is not None and index % max(1, hours // 100) == 0:
            progress(GENERATING_SHARE * index / hours)
        for _ in range(poisson(rng, new_visitors_per_hour(hour_ms + HOUR_MS // 2, reference_ms))):
            first_ms = hour_ms + rng.randrange(HOUR_MS)
            if first_ms >= reference_ms:
                continue
            vkey += 1
            visitor = new_visitor(rng, vkey)
            (_bot if visitor.is_bot else _visitor_history)(rng, rows, visitor, first_ms, reference_ms)
    for _ in range(VISITORS_WITHOUT_PAGEVIEWS):
        vkey += 1
        rows.visitors.append(visitor_row(new_visitor(rng, vkey, bot_share=0.0), GHOST_PREDICTION))
    # The hostile strings go in last, over the finished traffic: the draws above are the same
    # for both datasets, so a hostile history is the normal one with some text replaced.
    shape = rows_for(seed, hostile)
    extra = {"hostile": 1} if hostile else {}  # the normal store stays byte-identical to before
    if progress is not None:
        progress(GENERATING_SHARE)
    _write(conn, rows, shape, progress, seed=seed, reference_ms=reference_ms, start_ms=start_ms, max_vkey=vkey,
           **extra)
    if progress is not None:
        progress(1.0)


def _write(conn: sqlite3.Connection, rows: _Rows, shape: PlainRows, progress: Progress | None = None,
           **meta: int) -> None:
    def step(fraction: float) -> None:  # the writing's own part of the progress, after the traffic's
        if progress is not None:
            progress(GENERATING_SHARE + (1 - GENERATING_SHARE) * fraction)

    schema.create_tables(conn)
    with conn:
        conn.executemany("INSERT INTO pages (page_id, host_id, hostname, path) VALUES (?, ?, ?, ?)", shape.pages())
        rows.visitors.sort()
        conn.executemany(schema.VISITOR_INSERT, map(shape.visitor, rows.visitors))
        conn.executemany(schema.SESSION_INSERT, map(shape.session, rows.sessions))
        step(0.15)
        # Chronological pageview/goal/payment ids make "newest first" cheap and ids meaningful.
        conn.executemany(schema.PAGEVIEW_INSERT, map(shape.pageview, sorted(rows.pageviews, key=lambda r: r[2])))
        step(0.35)
        conn.executemany(schema.GOAL_INSERT, map(shape.goal, sorted(rows.goals, key=lambda r: r[2])))
        conn.executemany(schema.PAYMENT_INSERT, map(shape.payment, sorted(rows.payments, key=lambda r: r[3])))
        conn.executemany("INSERT INTO bot_hits (vkey, ts, page_id) VALUES (?, ?, ?)", rows.bot_hits)
        paying, visitors = conn.execute(
            "SELECT (SELECT COUNT(DISTINCT vkey) FROM payments WHERE kind != 'refund'),"
            " (SELECT COUNT(DISTINCT vkey) FROM sessions)"
        ).fetchone()
        average = conn.execute("SELECT AVG(amount) FROM payments WHERE kind = 'new'").fetchone()[0] or 0.0
        meta_rows = {
            **{key: str(value) for key, value in meta.items()},
            "generator_version": str(GENERATOR_VERSION),
            "baseline_conversion_rate": f"{paying / max(visitors, 1):.4f}",
            "baseline_average_value": f"{average:.2f}",
            "complete": "1",
        }
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sorted(meta_rows.items()))
    step(0.4)
    schema.create_indexes(conn, lambda done: step(0.4 + 0.6 * done))
    conn.commit()


def describe(conn: sqlite3.Connection) -> dict[str, object]:
    """Row counts and a few meta values (for the benchmark and debugging)."""
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in schema.COUNTED_TABLES}
    return {
        **counts,
        **dict(conn.execute("SELECT key, value FROM meta")),
        "goal_names": json.dumps([r[0] for r in conn.execute("SELECT DISTINCT name FROM goals ORDER BY name")]),
    }
