"""SQLite schema of the demo event store.

Times are integer milliseconds since the Unix epoch (UTC). Visitors and sessions have
integer keys (`vkey`, `skey`) so that counting distinct visitors stays cheap; the public
UUID lives only in `visitors.visitor_id`.

`sessions` carries the visitor's attributes (geography, device) beside its own (referrer,
campaign parameters, entry page) so that every filter and breakdown reads one table, and
each breakdown dimension has a covering index `(dimension, vkey, start_ms)`: SQLite then
counts distinct visitors per group straight from the index, which is what keeps every
endpoint well under the 50 ms target on the full dataset. Text dimensions compare
case-insensitively (`COLLATE NOCASE`) because the API's filters do. No analytics column is
NULL (empty string instead), so `is` and `is_not` filters partition the sessions exactly.

Bots have a visitor row (looking them up must say "bot") and their hits go to `bot_hits`;
nothing a bot did reaches the analytics tables.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE pages (
    page_id INTEGER PRIMARY KEY,
    host_id INTEGER NOT NULL,
    hostname TEXT NOT NULL COLLATE NOCASE,
    path TEXT NOT NULL COLLATE NOCASE
);
CREATE TABLE visitors (
    vkey INTEGER PRIMARY KEY,
    visitor_id TEXT NOT NULL UNIQUE,
    is_bot INTEGER NOT NULL DEFAULT 0,
    country TEXT NOT NULL,
    region TEXT NOT NULL,
    city TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    device TEXT NOT NULL,
    device_vendor TEXT,
    device_model TEXT,
    browser TEXT NOT NULL,
    browser_version TEXT,
    os TEXT NOT NULL,
    os_version TEXT,
    viewport_width INTEGER,
    viewport_height INTEGER,
    pred_score INTEGER NOT NULL,
    pred_rate REAL NOT NULL,
    pred_value REAL NOT NULL,
    pred_confidence REAL NOT NULL,
    customer_name TEXT,
    customer_email TEXT,
    customer_id TEXT
);
CREATE TABLE sessions (
    skey INTEGER PRIMARY KEY,
    vkey INTEGER NOT NULL,
    visit_number INTEGER NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    pageviews INTEGER NOT NULL,
    entry_page INTEGER NOT NULL,
    country TEXT NOT NULL COLLATE NOCASE,
    region TEXT NOT NULL COLLATE NOCASE,
    city TEXT NOT NULL COLLATE NOCASE,
    device TEXT NOT NULL COLLATE NOCASE,
    browser TEXT NOT NULL COLLATE NOCASE,
    os TEXT NOT NULL COLLATE NOCASE,
    referrer TEXT NOT NULL COLLATE NOCASE,
    referrer_domain TEXT NOT NULL COLLATE NOCASE,
    utm_source TEXT NOT NULL COLLATE NOCASE,
    utm_medium TEXT NOT NULL COLLATE NOCASE,
    utm_campaign TEXT NOT NULL COLLATE NOCASE,
    utm_term TEXT NOT NULL COLLATE NOCASE,
    utm_content TEXT NOT NULL COLLATE NOCASE,
    ref TEXT NOT NULL COLLATE NOCASE,
    source TEXT NOT NULL COLLATE NOCASE,
    via TEXT NOT NULL COLLATE NOCASE,
    has_campaign INTEGER NOT NULL
);
CREATE TABLE pageviews (
    pv INTEGER PRIMARY KEY,
    skey INTEGER NOT NULL,
    vkey INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    page_id INTEGER NOT NULL,
    host_id INTEGER NOT NULL
);
CREATE TABLE goals (
    gid INTEGER PRIMARY KEY,
    skey INTEGER NOT NULL,
    vkey INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    metadata TEXT,
    is_server INTEGER NOT NULL DEFAULT 0,
    description TEXT  -- what POST goals was given (generated goals: from the goal's name)
);
CREATE TABLE payments (
    pid INTEGER PRIMARY KEY,
    transaction_id TEXT NOT NULL UNIQUE,
    vkey INTEGER,
    skey INTEGER,
    ts INTEGER NOT NULL,
    amount REAL NOT NULL,
    currency TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('new', 'renewal', 'refund')),
    email TEXT,
    name TEXT,
    customer_id TEXT
);
CREATE TABLE bot_hits (vkey INTEGER NOT NULL, ts INTEGER NOT NULL, page_id INTEGER NOT NULL);
"""

# Session dimensions that breakdowns group by; each gets a covering index.
GROUPED_SESSION_COLUMNS = ("country", "region", "city", "device", "browser", "os", "referrer")

INDEXES = (
    "CREATE INDEX s_time ON sessions (start_ms, vkey, pageviews, end_ms)",
    "CREATE INDEX s_visitor ON sessions (vkey, start_ms, pageviews, end_ms)",
    *(f"CREATE INDEX s_{col} ON sessions ({col}, vkey, start_ms)" for col in GROUPED_SESSION_COLUMNS),
    "CREATE INDEX s_campaign ON sessions (has_campaign, utm_source, utm_medium, utm_campaign, utm_term,"
    " utm_content, ref, source, via, vkey, start_ms)",
    "CREATE INDEX pv_page ON pageviews (page_id, vkey, ts, skey)",
    "CREATE INDEX pv_host ON pageviews (host_id, vkey, ts, skey)",
    "CREATE INDEX pv_time ON pageviews (ts)",
    "CREATE INDEX pv_visitor ON pageviews (vkey, ts)",
    "CREATE INDEX pv_session ON pageviews (skey, page_id, host_id, vkey, ts)",  # filtered page breakdowns
    "CREATE INDEX g_name ON goals (name, vkey, ts, skey)",
    "CREATE INDEX g_time ON goals (ts)",
    "CREATE INDEX g_visitor ON goals (vkey, ts)",
    "CREATE INDEX g_session ON goals (skey, name, vkey, ts)",
    "CREATE INDEX p_time ON payments (ts)",
    "CREATE INDEX p_visitor ON payments (vkey, ts)",
    "CREATE INDEX p_session ON payments (skey)",
)

SESSION_INSERT = (
    "INSERT INTO sessions (skey, vkey, visit_number, start_ms, end_ms, pageviews, entry_page, country, region,"
    " city, device, browser, os, referrer, referrer_domain, utm_source, utm_medium, utm_campaign, utm_term,"
    " utm_content, ref, source, via, has_campaign) VALUES (" + ",".join("?" * 24) + ")"
)
VISITOR_INSERT = (
    "INSERT INTO visitors (vkey, visitor_id, is_bot, country, region, city, latitude, longitude, device,"
    " device_vendor, device_model, browser, browser_version, os, os_version, viewport_width, viewport_height,"
    " pred_score, pred_rate, pred_value, pred_confidence, customer_name, customer_email, customer_id)"
    " VALUES (" + ",".join("?" * 24) + ")"
)
PAGEVIEW_INSERT = "INSERT INTO pageviews (skey, vkey, ts, page_id, host_id) VALUES (?, ?, ?, ?, ?)"
GOAL_INSERT = "INSERT INTO goals (skey, vkey, ts, name, metadata, is_server) VALUES (?, ?, ?, ?, ?, ?)"
GOAL_WITH_DESCRIPTION_INSERT = (
    "INSERT INTO goals (skey, vkey, ts, name, metadata, is_server, description) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
PAYMENT_INSERT = (
    "INSERT INTO payments (transaction_id, vkey, skey, ts, amount, currency, kind, email, name, customer_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
PAGE_INSERT = "INSERT INTO pages (page_id, host_id, hostname, path) VALUES (?, ?, ?, ?)"
BOT_HIT_INSERT = "INSERT INTO bot_hits (vkey, ts, page_id) VALUES (?, ?, ?)"
META_INSERT = "INSERT INTO meta (key, value) VALUES (?, ?)"

# Tables whose row counts tests compare before and after a rejected request.
COUNTED_TABLES = ("visitors", "sessions", "pageviews", "goals", "payments")


def multi_row_insert(insert_sql: str, rows: int) -> str:
    """One of the INSERT statements above for `rows` rows at once (bulk loads: one call binds them all)."""
    head, values = insert_sql.split(" VALUES ")
    return f"{head} VALUES {','.join([values] * rows)}"


def create_tables(conn: sqlite3.Connection) -> None:
    """Create the empty tables (indexes come later: bulk inserts are faster without them)."""
    conn.executescript(TABLES)


def create_indexes(conn: sqlite3.Connection, progress: Callable[[float], None] | None = None) -> None:
    """Create every index, then ANALYZE so the planner knows which one is selective.

    `progress(done)` follows each index (0 to 1)."""
    for index, statement in enumerate(INDEXES):
        conn.execute(statement)
        if progress is not None:
            progress((index + 1) / (len(INDEXES) + 1))
    conn.execute("ANALYZE")
