"""The generated history: deterministic, plausible, cached on disk, robust to a bad cache."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import uuid
from pathlib import Path

import pytest

import datafast_tui.demo.database as database_module
import datafast_tui.demo.generate as generate_module
from datafast_tui.demo import open_demo_database
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


@pytest.fixture
def tiny_generation(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make generation fast (a trickle of traffic) and count how often it runs."""
    calls: list[int] = []
    real = generate_module.generate_history
    monkeypatch.setattr(generate_module, "new_visitors_per_hour", lambda ts, ref: 0.2)

    def counted(conn: sqlite3.Connection, seed: int, reference_ms: int, **options: bool) -> None:
        calls.append(seed)
        real(conn, seed, reference_ms, **options)

    monkeypatch.setattr(database_module, "generate_history", counted)
    return calls


def open_tiny(cache_dir: Path):  # noqa: ANN201
    return open_demo_database(seed=7, clock=FrozenClock(), cache_dir=cache_dir, live=False)


def test_cache_is_reused(tmp_path: Path, tiny_generation: list[int]) -> None:
    open_tiny(tmp_path).close()
    open_tiny(tmp_path).close()
    assert tiny_generation == [7]
    assert [p.name for p in tmp_path.iterdir()] == [cache_path(tmp_path, 7, REFERENCE_MS).name]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "old_version", "empty"])
def test_bad_cache_is_rebuilt(tmp_path: Path, tiny_generation: list[int], damage: str) -> None:
    open_tiny(tmp_path).close()
    path = cache_path(tmp_path, 7, REFERENCE_MS)
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE meta SET value = '0' WHERE key = 'generator_version'")
    db = open_tiny(tmp_path)
    assert db.row_counts()["sessions"] > 0 and tiny_generation == [7, 7]
    with sqlite3.connect(path) as conn:  # the rebuilt file is whole again
        assert dict(conn.execute("SELECT key, value FROM meta"))["complete"] == "1"


def test_unwritable_cache_dir_falls_back_to_memory(tmp_path: Path, tiny_generation: list[int]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    db = open_tiny(blocker / "cache")
    assert db.row_counts()["sessions"] > 0


def test_writes_never_touch_the_cache(demo_cache: Path, db) -> None:  # noqa: ANN001
    path = cache_path(demo_cache, 42, REFERENCE_MS)
    before = path.read_bytes()
    with db.write() as (conn, _):
        conn.execute("DELETE FROM payments")
    assert path.read_bytes() == before
