"""A long-lived store (the app's default) works on a private copy of the cached file (the first
tests: copy-on-write stores too): writes stay in it, the cache never changes,
nothing is left on disk, and the process does not hold the dataset in memory."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

import datafast_tui.demo.private_copy as private_copy
from datafast_tui.demo import DemoDatabase, open_demo_database
from datafast_tui.demo.database import cache_path
from tests.unit.demo.conftest import FrozenClock, client_for, get_json
from tests.unit.demo.test_contract import some_visitor

REFERENCE_MS = int(FrozenClock()().replace(minute=0, second=0).timestamp() * 1000)
GOAL = "private_copy_goal"


def fingerprint(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_size, stat.st_mtime_ns


def goal_count(db: DemoDatabase, name: str = GOAL) -> int:
    with db.read() as (conn, _):
        return conn.execute("SELECT COUNT(*) FROM goals WHERE name = ?", (name,)).fetchone()[0]


def working_files(directory: Path) -> list[Path]:
    return sorted(directory.glob(".demo-work-*"))


@pytest.fixture
def private_cache(demo_cache: Path, tmp_path: Path) -> Path:
    """A cache dir of this test's own (other workers open copies in the shared one meanwhile)."""
    folder = tmp_path / "cache"
    folder.mkdir()
    shutil.copyfile(cache_path(demo_cache, 42, REFERENCE_MS), cache_path(folder, 42, REFERENCE_MS))
    return folder


BOTH = pytest.mark.parametrize("copy_on_write", [False, True], ids=["private copy", "copy-on-write"])


@BOTH
async def test_writes_are_read_back_and_never_reach_the_cache_file(demo_cache: Path, copy_on_write: bool) -> None:
    path = cache_path(demo_cache, 42, REFERENCE_MS)
    before = fingerprint(path)
    clock = FrozenClock()
    db = open_demo_database(copy_on_write=copy_on_write, clock=clock, cache_dir=demo_cache)
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


@BOTH
async def test_two_stores_on_one_cache_file_never_see_each_other(demo_cache: Path, copy_on_write: bool) -> None:
    first = open_demo_database(copy_on_write=copy_on_write, clock=FrozenClock(), cache_dir=demo_cache)
    second = open_demo_database(copy_on_write=copy_on_write, clock=FrozenClock(), cache_dir=demo_cache)
    try:
        visitor_id = some_visitor(first)
        async with client_for(first) as api:
            assert (await api.post("goals", json={"datafast_visitor_id": visitor_id, "name": GOAL})).status_code == 200
        with second.write() as (conn, _):
            deleted = conn.execute("DELETE FROM goals WHERE name = 'signup'").rowcount
        assert deleted > 0
        assert goal_count(first) == 1 and goal_count(second) == 0
        assert goal_count(first, "signup") == deleted and goal_count(second, "signup") == 0
        third = open_demo_database(copy_on_write=copy_on_write, clock=FrozenClock(), cache_dir=demo_cache)  # opened after both wrote
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


def test_the_copy_leaves_no_file_and_the_dataset_stays_out_of_memory(private_cache: Path) -> None:
    db = open_demo_database(copy_on_write=False, clock=FrozenClock(), cache_dir=private_cache)
    try:
        conn = db._conn  # noqa: SLF001 - what the store runs on is the point of this test
        assert isinstance(conn, private_copy._WorkingCopy)  # noqa: SLF001
        (_, name, file), = conn.execute("PRAGMA database_list").fetchall()
        assert name == "main" and Path(file).name.startswith(".demo-work-")
        assert not Path(file).exists()  # unlinked once open: nothing to clean up, even after a crash
        pages = conn.execute("PRAGMA cache_size").fetchone()[0]
        assert pages == -private_copy.WORKING_CACHE_KIB  # a bounded cache, not the 70 MB
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "memory"
    finally:
        db.close()
    assert working_files(private_cache) == []


def test_without_a_writable_cache_dir_the_copy_goes_to_the_temp_dir(private_cache: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    real = tempfile.mkstemp
    temp_dir = tmp_path / "temp"
    temp_dir.mkdir()

    def refuse_the_cache_dir(*args, dir=None, **kwargs):  # noqa: ANN001, ANN002, ANN003, A002
        if Path(dir) == private_cache:
            raise PermissionError(13, "Permission denied")
        return real(*args, dir=temp_dir, **kwargs)

    monkeypatch.setattr(private_copy.tempfile, "mkstemp", refuse_the_cache_dir)
    db = open_demo_database(copy_on_write=False, clock=FrozenClock(), cache_dir=private_cache)
    try:
        file = db._conn.execute("PRAGMA database_list").fetchone()[2]  # noqa: SLF001
        assert Path(file).parent == temp_dir and db.notices == ()
        assert db.row_counts()["pageviews"] > 0
    finally:
        db.close()
    assert working_files(temp_dir) == [] and working_files(private_cache) == []


def test_without_any_copy_the_store_is_loaded_into_memory(private_cache: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(*args, **kwargs):  # noqa: ANN002, ANN003
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(private_copy.shutil, "copyfile", no_space)
    db = open_demo_database(copy_on_write=False, clock=FrozenClock(), cache_dir=private_cache)
    try:
        assert db._conn.execute("PRAGMA database_list").fetchone()[2] == ""  # noqa: SLF001 - in memory
        with db.write() as (conn, _):
            conn.execute("DELETE FROM payments")
        assert db.row_counts()["payments"] == 0
    finally:
        db.close()
    assert working_files(private_cache) == []  # the failed copy's file is gone
    with sqlite3.connect(cache_path(private_cache, 42, REFERENCE_MS)) as cached:
        assert cached.execute("SELECT COUNT(*) FROM payments").fetchone()[0] > 0
