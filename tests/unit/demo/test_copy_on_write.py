"""Each store works on the cached file itself, copy-on-write: its writes stay in its own memory, the
file never changes, nothing is left on disk, and the process does not hold the dataset in memory."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

import datafast_tui.demo.database as database_module
from datafast_tui.demo import DemoDatabase, open_demo_database
from datafast_tui.demo.database import cache_path
from tests.unit.demo.conftest import FrozenClock, client_for, get_json
from tests.unit.demo.test_contract import some_visitor

REFERENCE_MS = int(FrozenClock()().replace(minute=0, second=0).timestamp() * 1000)
GOAL = "copy_on_write_goal"


def fingerprint(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_size, stat.st_mtime_ns


def goal_count(db: DemoDatabase, name: str = GOAL) -> int:
    with db.read() as (conn, _):
        return conn.execute("SELECT COUNT(*) FROM goals WHERE name = ?", (name,)).fetchone()[0]


def files_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@pytest.fixture
def private_cache(demo_cache: Path, tmp_path: Path) -> Path:
    """A cache dir of this test's own (other workers open copies in the shared one meanwhile)."""
    folder = tmp_path / "cache"
    folder.mkdir()
    shutil.copyfile(cache_path(demo_cache, 42, REFERENCE_MS), cache_path(folder, 42, REFERENCE_MS))
    return folder


async def test_writes_are_read_back_and_never_reach_the_cache_file(demo_cache: Path) -> None:
    path = cache_path(demo_cache, 42, REFERENCE_MS)
    before = fingerprint(path)
    clock = FrozenClock()
    db = open_demo_database(clock=clock, cache_dir=demo_cache)
    try:
        visitor_id = some_visitor(db)
        async with client_for(db) as api:
            posted = await api.post("goals", json={"datafast_visitor_id": visitor_id, "name": GOAL})
            assert posted.status_code == 200, posted.text
            paid = await api.post("payments", json={"amount": 12.5, "currency": "USD", "transaction_id": "wc-1",
                                                    "datafast_visitor_id": visitor_id})
            assert paid.status_code == 200, paid.text
            goals = (await get_json(api, "analytics/goals", limit=1000))["data"]
            assert {"goal": GOAL, "completions": 1, "visitors": 1} in goals
            pageviews = db.row_counts()["pageviews"]
            clock.advance(minutes=30)  # live traffic catches up: rows inserted and updated
            assert db.row_counts()["pageviews"] > pageviews
            assert (await api.request("DELETE", "payments", params={"transaction_id": "wc-1"})).status_code == 200
            assert (await api.request("DELETE", "goals", params={"name": GOAL})).status_code == 200
            assert goal_count(db) == 0
    finally:
        db.close()
    assert fingerprint(path) == before


async def test_two_stores_on_one_cache_file_never_see_each_other(demo_cache: Path) -> None:
    first = open_demo_database(clock=FrozenClock(), cache_dir=demo_cache)
    second = open_demo_database(clock=FrozenClock(), cache_dir=demo_cache)
    try:
        visitor_id = some_visitor(first)
        async with client_for(first) as api:
            assert (await api.post("goals", json={"datafast_visitor_id": visitor_id, "name": GOAL})).status_code == 200
        with second.write() as (conn, _):
            deleted = conn.execute("DELETE FROM goals WHERE name = 'signup'").rowcount
        assert deleted > 0
        assert goal_count(first) == 1 and goal_count(second) == 0
        assert goal_count(first, "signup") == deleted and goal_count(second, "signup") == 0
        third = open_demo_database(clock=FrozenClock(), cache_dir=demo_cache)  # opened after both wrote
        try:
            assert goal_count(third) == 0 and goal_count(third, "signup") == deleted
        finally:
            third.close()
    finally:
        first.close()
        second.close()


def test_a_failed_write_keeps_nothing(db: DemoDatabase) -> None:
    """The journal is in memory, not off: a write that raises is rolled back."""
    with pytest.raises(RuntimeError), db.write() as (conn, _):
        conn.execute("DELETE FROM goals")
        raise RuntimeError("boom")
    assert db.row_counts()["goals"] > 0


def test_the_store_reads_the_cache_file_in_place_with_a_bounded_cache(private_cache: Path) -> None:
    path = cache_path(private_cache, 42, REFERENCE_MS)
    before, listing = fingerprint(path), files_in(private_cache)
    db = open_demo_database(clock=FrozenClock(), cache_dir=private_cache)
    try:
        conn = db._conn  # noqa: SLF001 - what the store runs on is the point of this test
        assert isinstance(conn, database_module._CopyOnWrite)  # noqa: SLF001
        (_, name, file), = conn.execute("PRAGMA database_list").fetchall()
        assert name == "main" and Path(file) == path.resolve()  # no copy of the 70 MB file
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == -database_module.WORKING_CACHE_KIB
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "memory"
        assert conn.execute("PRAGMA cache_spill").fetchone()[0] == 0
        with db.write() as (sql, _):  # far more changed pages than the page cache holds
            assert sql.execute("DELETE FROM pageviews").rowcount > 100_000
        assert db.row_counts()["pageviews"] == 0
        assert fingerprint(path) == before and files_in(private_cache) == listing  # no journal file either
        with pytest.raises(sqlite3.ProgrammingError, match="never committed"):
            conn.commit()
    finally:
        db.close()
    assert fingerprint(path) == before and files_in(private_cache) == listing
    with sqlite3.connect(path) as cached:
        assert cached.execute("SELECT COUNT(*) FROM pageviews").fetchone()[0] > 100_000


def test_a_store_whose_private_transaction_ended_refuses_sql(private_cache: Path) -> None:
    """SQLite ends a transaction itself after some errors (out of memory): from then on a statement
    would commit on its own, into the shared file, so none runs."""
    path = cache_path(private_cache, 42, REFERENCE_MS)
    before = fingerprint(path)
    db = open_demo_database(clock=FrozenClock(), cache_dir=private_cache)
    try:
        db._conn.execute("ROLLBACK")  # noqa: SLF001 - what SQLite does after such an error
        with pytest.raises(sqlite3.OperationalError, match="private transaction ended"):
            db.row_counts()
        with pytest.raises(sqlite3.OperationalError, match="private transaction ended"), db.write() as (conn, _):
            conn.execute("DELETE FROM goals")
    finally:
        db.close()
    assert fingerprint(path) == before


def test_a_cache_file_that_cannot_be_written_is_loaded_into_memory(private_cache: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = cache_path(private_cache, 42, REFERENCE_MS)
    os.chmod(path, stat.S_IRUSR)
    if os.access(path, os.W_OK):  # root writes any file: have SQLite answer as it does to other users

        def refuse(self: sqlite3.Connection) -> None:
            raise sqlite3.OperationalError("attempt to write a readonly database")

        monkeypatch.setattr(database_module._CopyOnWrite, "begin_private", refuse)  # noqa: SLF001
    before = fingerprint(path)
    db = open_demo_database(clock=FrozenClock(), cache_dir=private_cache)
    try:
        assert db._conn.execute("PRAGMA database_list").fetchone()[2] == ""  # noqa: SLF001 - in memory
        with db.write() as (conn, _):
            conn.execute("DELETE FROM payments")
        assert db.row_counts()["payments"] == 0 and db.notices == ()
    finally:
        db.close()
    assert fingerprint(path) == before
