"""Live traffic: the site keeps receiving visitors after the generated history ends.

No background thread. On each access, `catch_up(now)` generates every whole minute since
the last call, each minute from its own RNG seeded by (seed, minute), following the same
rhythm as the history. A session's events are queued and only enter the tables once their
time has come (`ts <= now`), so reads never see the future and a frozen clock gives fully
deterministic answers. Minutes are generated in order and depend only on the seed, the
history and earlier minutes, so the store at a given time is the same however the calls
were spaced.

Rows pass through the dataset's row transform (hostile_rows.py) like the history's, so a
hostile dataset's live traffic is hostile too. A returning visitor is rebuilt from their
stored row; when hostile strings hide which city or platform they had, the nearest known
one stands in, which is invisible: the transform gives their rows the same hostile values.
"""

from __future__ import annotations

import heapq
import random
import sqlite3
from dataclasses import dataclass

from datafast_tui.demo import schema
from datafast_tui.demo.audience import PLATFORMS, Platform
from datafast_tui.demo.geography import geography
from datafast_tui.demo.hostile_rows import PlainRows
from datafast_tui.demo.rhythm import new_visitors_per_hour, poisson
from datafast_tui.demo.rows import (
    BOT_PREDICTION,
    goal_row,
    pageview_row,
    payment_row,
    session_row,
    visitor_row,
)
from datafast_tui.demo.traffic import (
    MINUTE_MS,
    SESSION_GAP_MS,
    SessionDraft,
    VisitorDraft,
    make_customer,
    new_visitor,
    prediction,
    synthesize_session,
    transaction_id,
)

RETURNING_SHARE = 0.3  # share of live sessions from people who visited before
_CITY_BY_NAME = {c.name: c for c in geography().cities}
_PLATFORM_BY_KEY = {(p.device, p.os): p for p in PLATFORMS}
_DEVICES = {p.device for p in PLATFORMS}
_OSES = {p.os for p in PLATFORMS}


@dataclass(order=True, slots=True)
class _Event:
    ts: int
    seq: int
    kind: str  # "pageview" | "goal" | "payment"
    session: SessionDraft
    index: int  # which pageview / goal of the session; unused for payments
    payment: tuple | None = None


class LiveTraffic:
    """Generates and releases live events into one store's connection."""

    def __init__(
        self, conn: sqlite3.Connection, *, seed: int, reference_ms: int, rows: PlainRows | None = None
    ) -> None:
        self._conn = conn
        self._rows = rows or PlainRows()
        self._seed = seed
        self._reference_ms = reference_ms
        self._generated_until = reference_ms  # minutes before this are generated
        self._queue: list[_Event] = []
        self._seq = 0
        self._history_vkeys = conn.execute("SELECT MAX(vkey) FROM visitors").fetchone()[0] or 0
        self._next_vkey = self._history_vkeys + 1
        self._next_skey = (conn.execute("SELECT MAX(skey) FROM sessions").fetchone()[0] or 0) + 1
        self._returning: dict[int, tuple[int, int, bool]] = {}  # vkey -> (visits, busy until, engaged)

    def catch_up(self, now_ms: int) -> None:
        """Generate the minutes up to `now_ms` and write every event due by then."""
        while self._generated_until <= now_ms:
            self._generate_minute(self._generated_until)
            self._generated_until += MINUTE_MS
        while self._queue and self._queue[0].ts <= now_ms:
            self._release(heapq.heappop(self._queue))

    def next_due_ms(self) -> int:
        """The first moment at which `catch_up` has work: the next minute to generate or the next
        queued event. Before it the store cannot change by itself, so readers need not catch up."""
        return min(self._generated_until, self._queue[0].ts) if self._queue else self._generated_until

    def _generate_minute(self, minute_ms: int) -> None:
        rng = random.Random(f"live:{self._seed}:{minute_ms // MINUTE_MS}")
        mean = new_visitors_per_hour(minute_ms + MINUTE_MS // 2, self._reference_ms) / 60 / (1 - RETURNING_SHARE)
        for _ in range(poisson(rng, mean)):
            start = minute_ms + rng.randrange(MINUTE_MS)
            found = self._returning_visitor(rng, start) if rng.random() < RETURNING_SHARE else None
            if found is None:
                visitor, visit, engaged = new_visitor(rng, self._next_vkey), 1, False
                self._next_vkey += 1
                if visitor.is_bot:
                    row = visitor_row(visitor, BOT_PREDICTION)
                    self._conn.execute(schema.VISITOR_INSERT, self._rows.visitor(row))
                    continue
            else:
                visitor, visit, engaged = found
            session = synthesize_session(rng, visitor, start, visit, engaged)
            session.skey = self._next_skey
            self._next_skey += 1
            if visit == 1:
                row = visitor_row(visitor, prediction(rng, visitor, session))
                self._conn.execute(schema.VISITOR_INSERT, self._rows.visitor(row))
            engaged = engaged or any(g[1] == "signup" for g in session.goals)
            self._returning[visitor.vkey] = (visit, session.end_ms + SESSION_GAP_MS, engaged)
            self._enqueue(rng, session)

    def _returning_visitor(self, rng: random.Random, start: int) -> tuple[VisitorDraft, int, bool] | None:
        """A random earlier human visitor who is not in a session right now, or None."""
        vkey = rng.randint(1, self._next_vkey - 1)
        if vkey not in self._returning:
            visits, last_end = self._conn.execute(
                "SELECT MAX(visit_number), MAX(end_ms) FROM sessions WHERE vkey = ?", (vkey,)
            ).fetchone()
            if visits is None:  # a bot, a ghost or a live visitor still queued
                return None
            engaged = (
                self._conn.execute("SELECT 1 FROM goals WHERE vkey = ? AND name = 'signup' LIMIT 1", (vkey,)).fetchone()
                is not None
            )
            self._returning[vkey] = (visits, last_end + SESSION_GAP_MS, engaged)
        visits, busy_until, engaged = self._returning[vkey]
        if busy_until > start:
            return None
        return self._draft(vkey), visits + 1, engaged

    def _draft(self, vkey: int) -> VisitorDraft:
        row = self._conn.execute(
            "SELECT visitor_id, city, device, os, browser, browser_version, os_version, device_vendor,"
            " device_model, viewport_width, viewport_height, customer_name, customer_email, customer_id, region"
            " FROM visitors WHERE vkey = ?",
            (vkey,),
        ).fetchone()
        customer = (row[11], row[12], row[13]) if row[11] or row[12] else None
        return VisitorDraft(
            vkey,
            row[0],
            False,
            _CITY_BY_NAME.get(row[1]) or geography().region_by_code[row[14]].cities[0],
            _platform(row[2], row[3]),
            row[4],
            row[5],
            row[6],
            row[7],
            row[8],
            (row[9], row[10]),
            customer,
        )

    def _insert_session(self, s: SessionDraft, end: int) -> None:
        self._conn.execute(schema.SESSION_INSERT, self._rows.session(session_row(s, pageviews=1, end_ms=end)))

    def _push(self, event: _Event) -> None:
        self._seq += 1
        event.seq = self._seq
        heapq.heappush(self._queue, event)

    def _enqueue(self, rng: random.Random, session: SessionDraft) -> None:
        for index, (ts, _) in enumerate(session.pageviews):
            self._push(_Event(ts, 0, "pageview", session, index))
        for index, goal in enumerate(session.goals):
            self._push(_Event(goal[0], 0, "goal", session, index))
        if session.purchase:
            customer = session.visitor.customer or make_customer(rng)
            ts, plan = session.purchase
            self._push(_Event(ts, 0, "payment", session, 0, (transaction_id(rng), plan.amount, customer)))

    def _release(self, event: _Event) -> None:
        s, conn = event.session, self._conn
        if event.kind == "pageview":
            ts, page_id = s.pageviews[event.index]
            last = event.index == len(s.pageviews) - 1
            end = s.end_ms if last else ts
            if event.index == 0:
                self._insert_session(s, end)
            else:
                conn.execute(
                    "UPDATE sessions SET pageviews = ?, end_ms = ? WHERE skey = ?", (event.index + 1, end, s.skey)
                )
            conn.execute(schema.PAGEVIEW_INSERT, self._rows.pageview(pageview_row(s, ts, page_id)))
        elif event.kind == "goal":
            conn.execute(schema.GOAL_INSERT, self._rows.goal(goal_row(s, s.goals[event.index])))
        else:
            txid, amount, customer = event.payment
            s.visitor.customer = customer
            conn.execute(
                "UPDATE visitors SET customer_name = ?, customer_email = ?, customer_id = ? WHERE vkey = ?",
                (*self._rows.customer(s.visitor.vkey, customer), s.visitor.vkey),
            )
            row = payment_row(txid, s.visitor, s.skey, event.ts, amount, "new")
            conn.execute(schema.PAYMENT_INSERT, self._rows.payment(row))


def _platform(device: str, os: str) -> Platform:
    """The platform of a stored visitor; a hostile device or OS name matches any (see above)."""
    found = _PLATFORM_BY_KEY.get((device, os))
    if found is not None:
        return found
    return next(
        p for p in PLATFORMS if (device not in _DEVICES or p.device == device) and (os not in _OSES or p.os == os)
    )
