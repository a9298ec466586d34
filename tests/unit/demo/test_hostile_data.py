"""The hostile dataset in the store: every text column hit, most rows normal, live traffic too."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from datafast_tui.demo import DemoDatabase, open_demo_database
from datafast_tui.demo.hostile import CATEGORIES, LONG_PATH, STRINGS
from datafast_tui.demo.hostile_rows import HostileRows
from datafast_tui.demo.site import GOALS, PAGES
from tests.unit.demo.conftest import FrozenClock
from tests.unit.demo.hostile_support import (
    TEXT_COLUMNS,
    VISIBLE_CATEGORIES,
    categories,
    is_hostile,
    metadata_values,
)


def distinct(conn: sqlite3.Connection, table: str, column: str) -> list[object]:
    return [value for (value,) in conn.execute(f"SELECT DISTINCT {column} FROM {table}")]


def test_the_list_is_as_documented() -> None:
    assert set(CATEGORIES) == {"markup", "escape", "control", "bidi", "long", "wide", "empty", "null"}
    assert len(LONG_PATH) == 10_000 and "[/]" in STRINGS and "\x1b]0;pwned\x07" in STRINGS and None in STRINGS
    first = STRINGS[: len(CATEGORIES)]  # interleaved: one of each category first
    assert categories(first) == VISIBLE_CATEGORIES and None in first


@pytest.mark.parametrize(("table", "column"), [(t, c) for t, cols in TEXT_COLUMNS.items() for c in cols])
def test_every_text_column_is_hit(hostile_db: DemoDatabase, table: str, column: str) -> None:
    with hostile_db.read() as (conn, _):
        values = distinct(conn, table, column)
    assert any(is_hostile(v) for v in values), f"{table}.{column}"
    assert any(isinstance(v, str) and not is_hostile(v) and v for v in values), f"{table}.{column} has normal values"


def test_goal_metadata_and_names_are_hit(hostile_db: DemoDatabase) -> None:
    with hostile_db.read() as (conn, _):
        assert categories(metadata_values(conn)) >= {"markup", "escape", "control", "bidi", "long", "wide"}
    names = hostile_db.names
    assert categories(list(names.countries.values())) >= {"markup", "escape", "long", "empty"}
    assert categories(list(names.regions.values())) >= {"markup", "escape", "long", "empty"}
    descriptions = [names.goal_descriptions[g.name] for g in GOALS]
    assert any(is_hostile(d) for d in descriptions) and None in descriptions and "Created an account" in descriptions
    assert names.goal_description("[/]") in STRINGS  # hostile goal names have hostile or null descriptions


def test_most_rows_stay_normal(hostile_db: DemoDatabase) -> None:
    with hostile_db.read() as (conn, _):
        for table in ("visitors", "sessions"):
            rows = conn.execute(f"SELECT {', '.join(TEXT_COLUMNS[table])} FROM {table}").fetchall()
            hostile_rows = sum(any(is_hostile(v) for v in row) for row in rows)
            assert 0.1 < hostile_rows / len(rows) < 0.5, table
        on_hostile_pages = conn.execute("SELECT AVG(page_id >= ?) FROM pageviews", (len(PAGES),)).fetchone()[0]
        assert 0.02 < on_hostile_pages < 0.15


def test_a_visitor_looks_the_same_in_every_row(hostile_cache: Path) -> None:
    """Visitor attributes are keyed by visitor: every session (history and live) repeats them."""
    clock = FrozenClock()
    db = open_demo_database(clock=clock, cache_dir=hostile_cache, hostile=True)
    first_live = db.row_counts()["sessions"]
    clock.advance(hours=3)  # live traffic, with returning visitors whose city or platform is hostile
    with db.read() as (conn, _):
        mismatched = conn.execute(
            "SELECT COUNT(*) FROM sessions s JOIN visitors v ON v.vkey = s.vkey"
            " WHERE s.city != v.city OR s.device != v.device OR s.browser != v.browser OR s.os != v.os"
        ).fetchone()[0]
        live = conn.execute(
            "SELECT city, device, browser, os, referrer, utm_source, ref FROM sessions WHERE skey > ?", (first_live,)
        ).fetchall()
        customers = conn.execute(
            "SELECT COUNT(*) FROM payments p JOIN visitors v ON v.vkey = p.vkey"
            " WHERE p.name IS NOT v.customer_name OR p.email IS NOT v.customer_email"
        ).fetchone()[0]
    db.close()
    assert mismatched == 0 and customers == 0
    assert len(live) > 100 and any(is_hostile(v) for row in live for v in row)


def test_normal_dataset_has_no_hostile_strings(shared_db: DemoDatabase) -> None:
    assert not shared_db.hostile and shared_db.names.site.name == "Quillstack"
    with shared_db.read() as (conn, _):
        for table, columns in TEXT_COLUMNS.items():
            for column in columns:
                assert not any(is_hostile(v) for v in distinct(conn, table, column)), f"{table}.{column}"
        assert not categories(metadata_values(conn))


# A sessions row after its first seven columns (see schema.SESSION_INSERT).
SESSION_TAIL = ("US", "US-CA", "Los Angeles", "desktop", "Chrome", "Mac OS", "Google", "google.com", "newsletter")
SESSION_TAIL += ("email", "", "", "", "", "", "", 1)


def test_hostile_rows_are_deterministic() -> None:
    def session(skey: int) -> tuple:  # three sessions per visitor
        start = 1_700_000_000_000 + skey * 60_000
        return (skey, skey // 3, 1, start, start + 90_000, 2, 0, *SESSION_TAIL)

    made = [HostileRows(42).session(session(skey)) for skey in range(3000)]
    assert made == [HostileRows(42).session(session(skey)) for skey in range(3000)]
    assert made != [HostileRows(43).session(session(skey)) for skey in range(3000)]
