"""Deterministic generator of the demo site's history (about 90 days up to a reference time).

Same seed and same reference time give the same rows, byte for byte. The history is
written into an empty SQLite connection; caching it on disk is database.py's job.
A `hostile` history is the same traffic with hostile strings laced into its text columns
(hostile_rows.py) and `hostile = 1` in its meta table; the normal one has no such row.

A generation takes two cores: this thread runs the Python that makes the traffic while a
writer thread (`_Writer`) has SQLite insert it, a day of history at a time, then index and
ANALYZE it; SQLite does all that without holding the GIL.
"""

from __future__ import annotations

import json
import queue
import random
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

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
    COMPACT_GOAL_INSERT,
    COMPACT_SESSION_INSERT,
    COMPACT_VISITOR_INSERT,
    COMPACT_WIDTHS,
    HOST_OF_PAGE,
    LOOKUP_TABLES,
    CompactRows,
    create_lookup_tables,
    payment_row,
    session_row,
    truncate_session,
    visitor_row,
)
from datafast_tui.demo.site import PAGES
from datafast_tui.demo.traffic import (
    DAY_MS,
    GOAL_DELAY_MAX_MS,
    HOUR_MS,
    SESSION_GAP_MS,
    SessionDraft,
    VisitorDraft,
    gauss,
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


#: The part of the work the traffic takes (indexing the tables is the rest; inserting overlaps it).
GENERATING_SHARE = 0.55
BATCH_MS = DAY_MS  # rows go to the writer a day of history at a time
#: Rows per INSERT statement at most (fewer when SQLite allows fewer variables).
ROWS_PER_INSERT = 4_000
# Room for CREATE INDEX to sort in memory rather than in temporary files (while building only).
BUILD_CACHE_KIB = 262_144


def site_start_ms(reference_ms: int) -> int:
    """Local midnight (site timezone) HISTORY_DAYS days before the reference date."""
    ref_local = datetime.fromtimestamp(reference_ms / 1000, timezone.utc).astimezone(SITE_TZ)
    start_date = ref_local.date() - timedelta(days=HISTORY_DAYS)
    return int(datetime.combine(start_date, time(0), tzinfo=SITE_TZ).timestamp() * 1000)


class _Rows:
    """The history's rows, handed to the writer a day of history at a time (`take`).

    Sessions, visitors and bot hits are final once made and come in key order. Pageviews,
    goals and payments get their ids in time order ("newest first" is then cheap, and ids
    mean something), so they wait in buckets by their own day until the generation has passed
    that day: every event comes after its visitor's first visit, so no visitor still to come
    can add an earlier one. Each bucket is sorted once, stably: equal times keep the order
    they were made in, as one sort of the whole history did.

    With `compact` (the normal history), visitors and sessions are compact rows (rows.py).
    """

    def __init__(self, origin_ms: int, end_ms: int, compact: CompactRows | None) -> None:
        days = max(1, (end_ms - 1 - origin_ms) // BATCH_MS + 1)
        self.visitors: list[tuple] = []
        self.sessions: list[tuple] = []
        self.bot_hits: list[tuple] = []
        self.pageviews: list[list[tuple]] = [[] for _ in range(days)]  # by day of their ts
        self.goals: list[list[tuple]] = [[] for _ in range(days)]
        self.payments: list[list[tuple]] = [[] for _ in range(days)]
        self.next_skey = 1
        self.compact = compact
        self._origin = origin_ms
        self._taken = 0  # the days before this one were handed over
        self._next_gid = 1

    def add_sessions(self, sessions: list[SessionDraft]) -> None:
        """One visitor's sessions: numbered in order, with their pageviews and goals (rows.py's rows, inlined)."""
        skey, visitor, origin, compact = self.next_skey, sessions[0].visitor, self._origin, self.compact
        vkey, keys = visitor.vkey, compact.visitor_keys(visitor) if compact else None
        add_session, pageviews, goals = self.sessions.append, self.pageviews, self.goals
        for s in sessions:
            s.skey = skey
            add_session(compact.session_row(s, keys) if compact else session_row(s))
            views = s.pageviews
            ts, page_id = views[0]
            day = (ts - origin) // BATCH_MS
            if len(views) == 1:  # the most common session
                pageviews[day].append((skey, vkey, ts, page_id, HOST_OF_PAGE[page_id]))
            elif (s.end_ms - origin) // BATCH_MS == day:  # the usual case: the whole session on one day
                pageviews[day] += [(skey, vkey, ts, page_id, HOST_OF_PAGE[page_id]) for ts, page_id in views]
            else:
                for ts, page_id in views:
                    pageviews[(ts - origin) // BATCH_MS].append((skey, vkey, ts, page_id, HOST_OF_PAGE[page_id]))
            for goal in s.goals:
                goals[(goal[0] - origin) // BATCH_MS].append(
                    compact.goal_row(skey, vkey, goal) if compact else (skey, vkey, *goal))  # goal_row's columns
            skey += 1
        self.next_skey = skey

    def add_visitor(self, visitor: VisitorDraft, pred: tuple[int, float, float, float]) -> None:
        compact = self.compact
        self.visitors.append(compact.visitor_row(visitor, pred) if compact else visitor_row(visitor, pred))

    def add_payment(self, row: tuple) -> None:
        self.payments[(row[3] - self._origin) // BATCH_MS].append(row)

    def take(self, until_day: int | None = None) -> _Batch:
        """The rows made since the last call, with the events of the days before `until_day` (None: all)."""
        days = range(self._taken, len(self.pageviews) if until_day is None else until_day)
        self._taken = days.stop
        goals = _sorted_days(self.goals, days, _TS)
        if self.compact:  # compact goal rows carry their gid: their number in time order
            goals = [(gid, *row) for gid, row in enumerate(goals, self._next_gid)]
            self._next_gid += len(goals)
        batch = _Batch(self.compact.take_new() if self.compact else {}, self.visitors, self.sessions, self.bot_hits,
                       _sorted_days(self.pageviews, days, _TS), goals, _sorted_days(self.payments, days, _PAYMENT_TS))
        self.visitors, self.sessions, self.bot_hits = [], [], []
        return batch


class _Batch(NamedTuple):
    """Rows for the writer, in the order it inserts them (lookup rows before the rows using them)."""

    lookups: dict[str, list[tuple]]
    visitors: list[tuple]
    sessions: list[tuple]
    bot_hits: list[tuple]
    pageviews: list[tuple]
    goals: list[tuple]
    payments: list[tuple]


_TS = itemgetter(2)  # the time of a pageview or goal row
_PAYMENT_TS = itemgetter(3)


def _sorted_days(buckets: list[list[tuple]], days: range, key: Callable) -> list[tuple]:
    out: list[tuple] = []
    for day in days:
        out += sorted(buckets[day], key=key)
        buckets[day] = []
    return out


_RETURN_DAYS = (1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 7, 9, 12, 14, 20, 27)


def _return_gap_ms(rng: random.Random) -> int:
    # Mostly back within a week, at about the same time of day (which keeps the daily rhythm).
    days = _RETURN_DAYS[rng._randbelow(len(_RETURN_DAYS))]  # rng.choice(_RETURN_DAYS), see traffic.py
    return days * DAY_MS + int(gauss(rng, 0, 2.5) * HOUR_MS)


#: A session ending this long before the history's end has nothing to truncate: its pageviews and
#: purchase come by its end, its goals at most GOAL_DELAY_MAX_MS after a pageview.
_TRUNCATION_MARGIN_MS = GOAL_DELAY_MAX_MS + 1


def _visitor_history(rng: random.Random, rows: _Rows, visitor: VisitorDraft, first_ms: int, until_ms: int) -> None:
    """All sessions, goals and payments of one (human) visitor, from the first visit on."""
    random_ = rng.random
    sessions: list[SessionDraft] = []
    start, visit, engaged, safe_until = first_ms, 1, False, until_ms - _TRUNCATION_MARGIN_MS
    while start < until_ms:
        session = synthesize_session(rng, visitor, start, visit, engaged)
        if session.end_ms >= safe_until:
            truncate_session(session, until_ms)
        sessions.append(session)
        if not engaged and session.goals:
            engaged = any(g[1] == "signup" for g in session.goals)
        keeps_coming = 0.65 if engaged else (0.28 if visit == 1 else 0.42)
        if random_() >= keeps_coming:
            break
        start = max(session.end_ms + SESSION_GAP_MS + 60_000, session.pageviews[0][0] + _return_gap_ms(rng))
        visit += 1
    rows.add_sessions(sessions)
    purchases = [(s.purchase, s) for s in sessions if s.purchase]
    if purchases:
        _payments(rng, rows, visitor, sessions, purchases, until_ms)
    rows.add_visitor(visitor, prediction(rng, visitor, sessions[0]))


def _payments(rng: random.Random, rows: _Rows, visitor: VisitorDraft, sessions: list[SessionDraft],
              purchases: list, until_ms: int) -> None:
    """A customer's purchases, refunds and renewals (until they churn)."""
    if visitor.customer is None:
        visitor.customer = make_customer(rng)
    for (ts, plan), session in purchases:
        kind = "refund" if rng.random() < REFUND_SHARE else "new"
        rows.add_payment(payment_row(transaction_id(rng), visitor, session.skey, ts, plan.amount, kind))
        if kind == "refund" or plan.renews_every_days is None:
            continue
        renewal = ts + plan.renews_every_days * DAY_MS
        while renewal < until_ms and rng.random() >= MONTHLY_CHURN:
            # A renewal belongs to the customer's latest session before it.
            latest = max((s for s in sessions if s.start_ms <= renewal), key=lambda s: s.start_ms)
            rows.add_payment(payment_row(transaction_id(rng), visitor, latest.skey, renewal, plan.amount, "renewal"))
            renewal += plan.renews_every_days * DAY_MS


def _bot(rng: random.Random, rows: _Rows, visitor: VisitorDraft, first_ms: int, until_ms: int) -> None:
    below, ts = rng._randbelow, first_ms  # randint(a, b) is a + _randbelow(b - a + 1): see traffic.py
    for _ in range(1 + below(30)):
        if ts >= until_ms:
            break
        rows.bot_hits.append((visitor.vkey, ts, below(len(PAGES))))
        ts += 200 + below(4_801)
    rows.add_visitor(visitor, BOT_PREDICTION)


Progress = Callable[[float], None]


def generate_history(conn: sqlite3.Connection, seed: int, reference_ms: int, *, hostile: bool = False,
                     progress: Progress | None = None) -> None:
    """Fill an empty connection with the history ending at `reference_ms` (exclusive).

    `progress(fraction)` is told how far it got (0 to 1), about a hundred times.
    """
    rng = random.Random(seed)
    bits, hour_bits = rng.getrandbits, HOUR_MS.bit_length()
    start_ms = site_start_ms(reference_ms)
    # The hostile strings go over the finished rows, not into the draws: those are the same
    # for both datasets, so a hostile history is the normal one with some text replaced.
    # They need whole rows; the normal history goes in compact.
    shape = rows_for(seed, hostile)
    rows = _Rows(start_ms, reference_ms, None if shape.hostile else CompactRows())
    writer = _Writer(shape, conn)
    try:
        vkey = 0
        hours = max(1, (reference_ms - start_ms) // HOUR_MS)
        batch_hours = BATCH_MS // HOUR_MS
        for index, hour_ms in enumerate(range(start_ms, reference_ms, HOUR_MS)):
            if progress is not None and index % max(1, hours // 100) == 0:
                progress(GENERATING_SHARE * index / hours)
            if index and index % batch_hours == 0:  # every event before this hour is made
                writer.add(rows.take(index // batch_hours))
            for _ in range(poisson(rng, new_visitors_per_hour(hour_ms + HOUR_MS // 2, reference_ms))):
                offset = bits(hour_bits)  # rng.randrange(HOUR_MS), inline: see traffic.py
                while offset >= HOUR_MS:
                    offset = bits(hour_bits)
                first_ms = hour_ms + offset
                if first_ms >= reference_ms:
                    continue
                vkey += 1
                visitor = new_visitor(rng, vkey)
                (_bot if visitor.is_bot else _visitor_history)(rng, rows, visitor, first_ms, reference_ms)
        for _ in range(VISITORS_WITHOUT_PAGEVIEWS):
            vkey += 1
            rows.add_visitor(new_visitor(rng, vkey, bot_share=0.0), GHOST_PREDICTION)
        writer.add(rows.take(), last=True)
        if progress is not None:
            progress(GENERATING_SHARE)
        extra = {"hostile": 1} if hostile else {}  # the normal store stays byte-identical to before
        built = writer.finish(progress, seed=seed, reference_ms=reference_ms, start_ms=start_ms, max_vkey=vkey,
                              **extra)
    except BaseException:
        writer.abandon()
        raise
    if built is not conn:  # built in a private database: copy it over
        try:
            built.backup(conn)
        finally:
            built.close()
    if progress is not None:
        progress(1.0)


_DONE = object()  # the writer's last mark


class _Writer:
    """Builds the store on its own thread, in the caller's connection when that thread may use it (else in
    a private in-memory database, copied over at the end); `finish` returns the connection it built in.

    Rows go in as multi-row INSERTs of thousands of rows: SQLite runs each without the GIL, so
    the traffic keeps being made meanwhile (a statement per row would need the GIL back for
    every row, and the generating thread holds it). Indexes come after all rows: building
    one from sorted rows is much cheaper than keeping it up to date row by row. Tasks run in
    the order given; the generating thread reads the writer's progress (and any error) as marks.
    """

    def __init__(self, shape: PlainRows, conn: sqlite3.Connection) -> None:
        self._shape, self._conn = shape, conn
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        self._marks: queue.SimpleQueue = queue.SimpleQueue()
        self._pending: dict[str, list[tuple]] = {}  # per INSERT: rows short of a whole statement's worth
        self._db: sqlite3.Connection | None = None
        self._thread = threading.Thread(target=self._run, name="demo-history-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            db = self._db = self._connection()
            self._cache_size = db.execute("PRAGMA cache_size").fetchone()[0]
            db.execute(f"PRAGMA cache_size = -{BUILD_CACHE_KIB}")
            schema.create_tables(db)
            if not self._shape.hostile:  # compact rows (rows.py): the lookup tables, in a database of their own
                db.execute("ATTACH DATABASE ':memory:' AS lookup")
                create_lookup_tables(db)
            db.execute("BEGIN")
            db.executemany(schema.PAGE_INSERT, self._shape.pages())
            while (task := self._tasks.get()) is not None:
                task(db)
        except BaseException as exc:  # handed to the generating thread, which raises it
            if self._db is not None and self._db.in_transaction:
                self._db.rollback()
            self._marks.put(exc)
        else:
            self._marks.put(_DONE)

    def _connection(self) -> sqlite3.Connection:
        """The caller's connection when this thread may use it (database.py's may), else a private one.

        The sqlite3 module cannot say whether a connection was opened with check_same_thread=False:
        using it is how to know. The private database is copied into the caller's at the end."""
        try:
            self._conn.execute("SELECT 1").fetchone()
        except sqlite3.ProgrammingError:
            return sqlite3.connect(":memory:", check_same_thread=False)
        return self._conn

    def add(self, batch: _Batch, last: bool = False) -> None:
        """Queue a batch from `_Rows.take` (hostile strings laced in here: pure functions of each row)."""
        shape, put = self._shape, self._tasks.put
        visitors, sessions, pageviews, goals, payments = (
            batch.visitors, batch.sessions, batch.pageviews, batch.goals, batch.payments)
        if shape.hostile:
            visitors, sessions = list(map(shape.visitor, visitors)), list(map(shape.session, sessions))
            pageviews, goals = list(map(shape.pageview, pageviews)), list(map(shape.goal, goals))
            payments = list(map(shape.payment, payments))
            visitor_sql, session_sql, goal_sql = schema.VISITOR_INSERT, schema.SESSION_INSERT, schema.GOAL_INSERT
        else:
            visitor_sql, session_sql, goal_sql = COMPACT_VISITOR_INSERT, COMPACT_SESSION_INSERT, COMPACT_GOAL_INSERT
        for table, new in batch.lookups.items():
            if new:  # before the rows that use them; few and rare after the first days
                sql = f"INSERT INTO lookup.{table} VALUES ({', '.join('?' * (1 + len(LOOKUP_TABLES[table])))})"
                put(lambda db, sql=sql, new=new: _insert_all(db, sql, new))
        for sql, rows in ((visitor_sql, visitors), (session_sql, sessions), (schema.BOT_HIT_INSERT, batch.bot_hits),
                          (schema.PAGEVIEW_INSERT, pageviews), (goal_sql, goals),
                          (schema.PAYMENT_INSERT, payments)):
            if rows or last:
                put(lambda db, sql=sql, rows=rows: self._insert(db, sql, rows, last))

    def _insert(self, db: sqlite3.Connection, sql: str, rows: list[tuple], last: bool) -> None:
        """Insert whole statements' worth of rows, in order; the rest waits for the next batch (or `last`)."""
        pending = self._pending.setdefault(sql, [])
        pending += rows
        per = _rows_per_insert(db, sql)
        full = len(pending) - len(pending) % per
        if full:
            statement = _multi_row(sql, per)
            for start in range(0, full, per):
                db.execute(statement, list(chain.from_iterable(pending[start:start + per])))
            del pending[:full]
        if last and pending:
            _insert_all(db, sql, pending)
            pending.clear()

    def finish(self, progress: Progress | None, **meta: int) -> sqlite3.Connection:
        """Index, analyse and label the store once every row is queued; the finished database."""
        marks = self._marks

        def step(fraction: float) -> None:  # the writing's own part of the progress, after the traffic's
            marks.put(GENERATING_SHARE + (1 - GENERATING_SHARE) * fraction)

        self._tasks.put(lambda db: _label(db, meta))
        self._tasks.put(lambda db: schema.create_indexes(db, step))
        self._tasks.put(lambda db: db.execute("COMMIT"))
        if not self._shape.hostile:
            self._tasks.put(lambda db: db.execute("DETACH DATABASE lookup"))
        self._tasks.put(lambda db: db.execute(f"PRAGMA cache_size = {self._cache_size}"))
        self._tasks.put(None)
        while (mark := marks.get()) is not _DONE:
            if isinstance(mark, BaseException):
                raise mark
            if progress is not None:
                progress(mark)
        assert self._db is not None
        return self._db

    def abandon(self) -> None:
        """Stop the writer after a failure (undoing what it wrote into the caller's connection)."""
        self._tasks.put(lambda db: db.rollback() if db.in_transaction else None)
        self._tasks.put(None)
        self._thread.join()  # the caller may close its connection next


def _rows_per_insert(db: sqlite3.Connection, sql: str) -> int:
    return max(1, min(ROWS_PER_INSERT, db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // _width(sql)))


def _width(sql: str) -> int:
    """Values per row of an INSERT: a compact one (rows.py) or one of schema.py's."""
    return COMPACT_WIDTHS.get(sql) or sql.count("?")


@lru_cache(maxsize=64)
def _multi_row(sql: str, rows: int) -> str:
    """`sql` for `rows` rows in one statement (the same string each time: SQLite compiles it once)."""
    if sql in COMPACT_WIDTHS:
        return sql.format(values=",".join(["(" + ",".join("?" * COMPACT_WIDTHS[sql]) + ")"] * rows))
    return schema.multi_row_insert(sql, rows)


def _insert_all(db: sqlite3.Connection, sql: str, rows: list[tuple]) -> None:
    per = _rows_per_insert(db, sql)
    for start in range(0, len(rows), per):
        chunk = rows[start:start + per]
        db.execute(_multi_row(sql, len(chunk)), list(chain.from_iterable(chunk)))


def _label(db: sqlite3.Connection, meta: dict[str, int]) -> None:
    """The meta table: what the store was made from, and baselines computed from its rows."""
    paying, visitors = db.execute(
        "SELECT (SELECT COUNT(DISTINCT vkey) FROM payments WHERE kind != 'refund'),"
        " (SELECT COUNT(DISTINCT vkey) FROM sessions)"
    ).fetchone()
    average = db.execute("SELECT AVG(amount) FROM payments WHERE kind = 'new'").fetchone()[0] or 0.0
    meta_rows = {
        **{key: str(value) for key, value in meta.items()},
        "generator_version": str(GENERATOR_VERSION),
        "baseline_conversion_rate": f"{paying / max(visitors, 1):.4f}",
        "baseline_average_value": f"{average:.2f}",
        "complete": "1",
    }
    db.executemany(schema.META_INSERT, sorted(meta_rows.items()))


def describe(conn: sqlite3.Connection) -> dict[str, object]:
    """Row counts and a few meta values (for the benchmark and debugging)."""
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in schema.COUNTED_TABLES}
    return {
        **counts,
        **dict(conn.execute("SELECT key, value FROM meta")),
        "goal_names": json.dumps([r[0] for r in conn.execute("SELECT DISTINCT name FROM goals ORDER BY name")]),
    }
