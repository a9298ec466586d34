"""A private, writable copy of a cached demo store: for long-lived stores (the app, serve-demo).

The copy is a file beside the cache (else in the temp dir), made by the kernel
(`shutil.copyfile`: sendfile, the GIL released) and unlinked as soon as SQLite has it open,
so nothing is left behind even after a crash. Its changes (live traffic, posted goals and
payments) spill into that file, so memory stays bounded however long the store lives: a
copy-on-write store (database.py) keeps every changed page in memory, measured +19 MB
after two hours of live traffic (638 rows changed), which grows all day for an app left
open. When no file can be written for the copy, it is loaded into memory.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
#: SQLite's page cache for a private copy, in KiB (see `working_copy` for the measurements).
WORKING_CACHE_KIB = 2048


def _memory() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", check_same_thread=False)


class _WorkingCopy(sqlite3.Connection):
    """A connection to a private copy of a cached store; the copy's file goes when it does.

    The file is unlinked right after it is opened (POSIX); where an open file cannot be
    unlinked (Windows), it is removed by `close()`."""

    leftover: Path | None = None

    def close(self) -> None:
        super().close()
        if self.leftover is not None:
            self.leftover.unlink(missing_ok=True)
            self.leftover = None


def working_copy(path: Path) -> sqlite3.Connection:
    """A private, writable copy of the store at `path`, opened: a file beside it (else in the
    temp dir), or, when no file can be written, memory.

    Its SQLite page cache is bounded (WORKING_CACHE_KIB): the file stays in the OS's page
    cache, which SQLite reads with a syscall per page it lacks. No journal file (journal in
    memory: a failed write still rolls back), no fsync, an exclusive lock taken once: the copy
    is private, and lost with the process by design.

    Measured (every GET endpoint of bench_demo without the answer cache, interleaved in one
    process, 9 rounds): the sum of medians 603-618 ms on the old in-memory copy, 641-670 ms
    with 2 MiB of cache, 643-659 with 4-8 MiB, 640 with 32 MiB: 4-8% slower at any size, so
    the smallest (SQLite's default size); each MiB of cache is a MiB of the app's RSS.
    Not mmap: mapped pages count in the process's RSS."""
    for directory in (path.parent, Path(tempfile.gettempdir())):
        tmp: Path | None = None
        try:
            fd, name = tempfile.mkstemp(prefix=".demo-work-", suffix=".sqlite", dir=directory)
            os.close(fd)
            tmp = Path(name)
            shutil.copyfile(path, tmp)  # sendfile / copy_file_range: the kernel copies, the GIL is free
            conn = sqlite3.connect(tmp, check_same_thread=False, factory=_WorkingCopy)
        except OSError as exc:
            log.info("no working copy of %s in %s (%s)", path, directory, exc)
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            continue
        try:
            conn.execute(f"PRAGMA cache_size = -{WORKING_CACHE_KIB}")
            conn.execute("PRAGMA journal_mode = MEMORY")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("SELECT COUNT(*) FROM meta").fetchone()  # the file is open (and locked) from here
        except BaseException:
            conn.close()
            tmp.unlink(missing_ok=True)
            raise
        try:
            tmp.unlink()  # the open file stays readable and writable; its name is no longer needed
        except OSError:
            conn.leftover = tmp
        return conn
    return load_into_memory(path)


def load_into_memory(path: Path) -> sqlite3.Connection:
    """The store at `path` copied into memory: when no file can hold a copy, or the file cannot
    be opened in place (it cannot be written)."""
    conn = _memory()
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(conn)
    except BaseException:
        conn.close()
        raise
    finally:
        source.close()
    return conn
