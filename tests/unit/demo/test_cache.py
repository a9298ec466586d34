"""The demo's disk cache: reused, rebuilt when damaged, optional when the disk says no,
one file per dataset (seed, normal or hostile, day), never mixed up."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

import pytest

import datafast_tui.demo.database as database_module
import datafast_tui.demo.generate as generate_module
from datafast_tui.demo import DemoDatabase, open_demo_database
from datafast_tui.demo.database import cache_path
from datafast_tui.demo.generate import GENERATOR_VERSION
from tests.unit.demo.conftest import FrozenClock

REFERENCE_MS = int(FrozenClock()().replace(minute=0, second=0).timestamp() * 1000)


@pytest.fixture
def tiny_generation(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """Make generation fast (a trickle of traffic) and record each run's (seed, hostile)."""
    calls: list[tuple[int, bool]] = []
    real = generate_module.generate_history
    monkeypatch.setattr(generate_module, "new_visitors_per_hour", lambda ts, ref: 0.2)

    def counted(conn: sqlite3.Connection, seed: int, reference_ms: int, *, hostile: bool = False,
                progress=None) -> None:  # noqa: ANN001
        calls.append((seed, hostile))
        real(conn, seed, reference_ms, hostile=hostile, progress=progress)

    monkeypatch.setattr(database_module, "generate_history", counted)
    return calls


def open_tiny(cache_dir: Path, hostile: bool = False) -> DemoDatabase:
    return open_demo_database(seed=7, clock=FrozenClock(), cache_dir=cache_dir, live=False, hostile=hostile)


def files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_cache_is_reused(tmp_path: Path, tiny_generation: list) -> None:
    open_tiny(tmp_path).close()
    open_tiny(tmp_path).close()
    assert tiny_generation == [(7, False)]
    assert files(tmp_path) == [cache_path(tmp_path, 7, REFERENCE_MS).name]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "old_version", "empty"])
def test_bad_cache_is_rebuilt(tmp_path: Path, tiny_generation: list, damage: str) -> None:
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
    assert db.row_counts()["sessions"] > 0 and tiny_generation == [(7, False), (7, False)]
    with sqlite3.connect(path) as conn:  # the rebuilt file is whole again
        assert dict(conn.execute("SELECT key, value FROM meta"))["complete"] == "1"


def test_cache_dir_that_cannot_exist_falls_back_to_memory(tmp_path: Path, tiny_generation: list) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    db = open_tiny(blocker / "cache")
    assert db.row_counts()["sessions"] > 0


def test_read_only_cache_dir_falls_back_to_memory(
    tmp_path: Path, tiny_generation: list, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # chmod cannot stop root (these tests may run as root), so the refusal is simulated where it happens.
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(database_module.tempfile, "mkstemp", refuse)
    with caplog.at_level(logging.WARNING, logger="datafast_tui.demo.database"):
        first = open_tiny(tmp_path)
        second = open_tiny(tmp_path)
    assert first.row_counts() == second.row_counts() and first.row_counts()["sessions"] > 0
    assert files(tmp_path) == [] and tiny_generation == [(7, False), (7, False)]
    assert "not writable" in caplog.text and "Traceback" not in caplog.text


def test_unreadable_cache_file_is_replaced_or_skipped(tmp_path: Path, tiny_generation: list) -> None:
    """A directory squatting on the cache file's name: unreadable and irreplaceable, still no failure."""
    cache_path(tmp_path, 7, REFERENCE_MS).mkdir()
    db = open_tiny(tmp_path)
    assert db.row_counts()["sessions"] > 0
    assert files(tmp_path) == [cache_path(tmp_path, 7, REFERENCE_MS).name]  # no temp file left behind


def test_normal_and_hostile_datasets_never_mix(tmp_path: Path, tiny_generation: list) -> None:
    normal, hostile = open_tiny(tmp_path), open_tiny(tmp_path, hostile=True)
    assert (normal.hostile, hostile.hostile) == (False, True)
    assert normal.names.site.name == "Quillstack" and hostile.names.site.name != "Quillstack"
    normal_file, hostile_file = cache_path(tmp_path, 7, REFERENCE_MS), cache_path(tmp_path, 7, REFERENCE_MS, True)
    assert files(tmp_path) == sorted([normal_file.name, hostile_file.name])  # storing one kept the other
    assert open_tiny(tmp_path, hostile=True).hostile and not open_tiny(tmp_path).hostile
    assert tiny_generation == [(7, False), (7, True)]  # both reused
    # A file of the other kind under this kind's name is refused and rebuilt.
    os.replace(normal_file, hostile_file)
    assert open_tiny(tmp_path, hostile=True).hostile and tiny_generation[-1] == (7, True)


def test_stale_files_are_removed_and_others_kept(tmp_path: Path, tiny_generation: list) -> None:
    keep = [
        f"demo-v{GENERATOR_VERSION}-seed8-20260101.sqlite",
        f"demo-v{GENERATOR_VERSION}-seed7-hostile-20260101.sqlite",
    ]
    drop = [f"demo-v{GENERATOR_VERSION}-seed7-20260101.sqlite", f"demo-v{GENERATOR_VERSION - 1}-seed7-20260219.sqlite"]
    for name in keep + drop:
        (tmp_path / name).write_bytes(b"")
    open_tiny(tmp_path).close()
    assert files(tmp_path) == sorted([*keep, cache_path(tmp_path, 7, REFERENCE_MS).name])


def test_writes_never_touch_the_cache(demo_cache: Path, db: DemoDatabase) -> None:
    path = cache_path(demo_cache, 42, REFERENCE_MS)
    before = path.read_bytes()
    with db.write() as (conn, _):
        conn.execute("DELETE FROM payments")
    assert path.read_bytes() == before


def test_a_generation_reports_its_progress_and_a_cache_load_does_not(tiny_generation, tmp_path: Path) -> None:
    seen: list[float] = []
    open_demo_database(seed=7, clock=FrozenClock(), cache_dir=tmp_path, live=False, progress=seen.append)
    assert seen and seen == sorted(seen) and seen[0] < 0.5 and seen[-1] == 1.0
    seen.clear()
    open_demo_database(seed=7, clock=FrozenClock(), cache_dir=tmp_path, live=False, progress=seen.append)
    assert seen == []  # from the cache: nothing to follow
