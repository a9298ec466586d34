"""A short-lived store (a report, a test) works on the cached file itself, copy-on-write: its writes stay in its own memory, the
file never changes, nothing is left on disk, and the process does not hold the dataset in memory."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

import datafast_tui.demo.database as database_module
from datafast_tui.demo import open_demo_database
from datafast_tui.demo.database import cache_path
from tests.unit.demo.conftest import FrozenClock
from tests.unit.demo.test_private_copy import REFERENCE_MS, fingerprint, private_cache  # noqa: F401 - a fixture


def files_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_the_store_reads_the_cache_file_in_place_with_a_bounded_cache(private_cache: Path) -> None:
    path = cache_path(private_cache, 42, REFERENCE_MS)
    before, listing = fingerprint(path), files_in(private_cache)
    db = open_demo_database(copy_on_write=True, clock=FrozenClock(), cache_dir=private_cache)
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
    db = open_demo_database(copy_on_write=True, clock=FrozenClock(), cache_dir=private_cache)
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
    db = open_demo_database(copy_on_write=True, clock=FrozenClock(), cache_dir=private_cache)
    try:
        assert db._conn.execute("PRAGMA database_list").fetchone()[2] == ""  # noqa: SLF001 - in memory
        with db.write() as (conn, _):
            conn.execute("DELETE FROM payments")
        assert db.row_counts()["payments"] == 0 and db.notices == ()
    finally:
        db.close()
    assert fingerprint(path) == before
