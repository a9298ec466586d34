"""The generated history: deterministic and plausible (its cache on disk: test_cache.py)."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import uuid
from pathlib import Path

from datafast_tui.demo.database import cache_path
from datafast_tui.demo.generate import generate_history
from datafast_tui.demo.geography import geography
from datafast_tui.demo.schema import COUNTED_TABLES
from tests.unit.demo.conftest import FrozenClock

REFERENCE_MS = int(FrozenClock()().replace(minute=0, second=0).timestamp() * 1000)


def digest(conn: sqlite3.Connection) -> str:
    h = hashlib.sha256()
    for table in (*COUNTED_TABLES, "meta", "bot_hits"):
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            h.update(repr(row).encode())
    return h.hexdigest()


def test_same_seed_and_reference_give_the_same_data(demo_cache: Path) -> None:
    cached = sqlite3.connect(cache_path(demo_cache, 42, REFERENCE_MS))
    fresh = sqlite3.connect(":memory:")
    generate_history(fresh, 42, REFERENCE_MS)
    assert digest(fresh) == digest(cached)


def test_hostile_history_is_the_same_traffic(demo_cache: Path, hostile_cache: Path) -> None:
    normal = sqlite3.connect(cache_path(demo_cache, 42, REFERENCE_MS))
    hostile = sqlite3.connect(cache_path(hostile_cache, 42, REFERENCE_MS, hostile=True))
    numbers = {
        "sessions": "skey, vkey, visit_number, start_ms, end_ms, pageviews, country, region",
        "visitors": "vkey, visitor_id, is_bot, country, region, pred_score",
        "pageviews": "pv, skey, ts",
        "goals": "gid, skey, ts, is_server",
        "payments": "pid, transaction_id, ts, amount, kind",
    }
    for table, columns in numbers.items():
        query = f"SELECT {columns} FROM {table} ORDER BY rowid"
        assert normal.execute(query).fetchall() == hostile.execute(query).fetchall(), table
    assert dict(hostile.execute("SELECT key, value FROM meta"))["hostile"] == "1"
    assert "hostile" not in dict(normal.execute("SELECT key, value FROM meta"))


def test_history_is_plausible(shared_db) -> None:  # noqa: ANN001
    with shared_db.read() as (conn, now):
        humans = conn.execute("SELECT COUNT(DISTINCT vkey) FROM sessions").fetchone()[0]
        returning = conn.execute("SELECT COUNT(DISTINCT vkey) FROM sessions WHERE visit_number > 1").fetchone()[0]
        kinds = dict(conn.execute("SELECT kind, COUNT(*) FROM payments GROUP BY kind"))
        bots = conn.execute("SELECT COUNT(*) FROM visitors WHERE is_bot = 1").fetchone()[0]
        first = conn.execute("SELECT MIN(start_ms) FROM sessions").fetchone()[0]
        ids = [row[0] for row in conn.execute("SELECT visitor_id FROM visitors LIMIT 500")]
        combos = set(conn.execute("SELECT DISTINCT device, os, browser FROM visitors WHERE is_bot = 0"))
    assert 40_000 <= humans <= 65_000 and returning > humans * 0.15
    assert kinds.keys() == {"new", "renewal", "refund"} and bots > 100
    assert 89 <= (now - first) / 86_400_000 <= 92
    assert all(uuid.UUID(i).version == 4 and str(uuid.UUID(i)) == i for i in ids)
    assert ("mobile", "iOS", "Edge") not in combos and ("desktop", "Mac OS", "Safari") in combos


def test_geography_names_are_unique_and_filter_safe() -> None:
    world = geography()
    cities = [c.name for c in world.cities]
    regions = [r.name for r in world.region_by_code.values()]
    assert len(cities) == len(set(cities)) >= 400 and len(regions) == len(set(regions))
    assert not any("," in name for name in cities + regions + [c.name for c in world.countries])
    assert all(re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", code) for code in world.region_by_code)
