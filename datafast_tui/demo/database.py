"""The demo's event store: a cached, generated history in SQLite, opened privately.

`open_demo_database` finds (or builds) the history for a seed and today's reference time
in the cache directory and opens it so that every `DemoDatabase` is isolated: its writes
never touch the cached file, and tests can open one per test. Live traffic is added on
access (see live.py); every public method first brings the store up to `clock()`, which
costs nothing until the clock reaches live traffic's next minute or event.

Two ways to open it. A long-lived store (the app, serve-demo; the default) works on a private
copy of the file (private_copy.py: 72 ms to make, its changes spill into it, memory stays
bounded all day). A short-lived one (`report`, the tests) opens the file itself
copy-on-write (`_CopyOnWrite`: one transaction never committed; no copy, 1 ms), keeping the
pages it changes in memory: live traffic since the cache was made costs about 30 KB a row
changed (+19 MB for two hours of it, 638 rows), so not for an app left open. Either way
SQLite keeps a bounded page cache (`WORKING_CACHE_KIB`) and the OS's page cache holds the rest:
the process does not hold the 70 MB dataset (45 MB of it indexes) in memory (RSS after every
screen and tab 155 -> 85 MB when it stopped, benchmarks/bench_memory.py). When the file can
be neither copied nor opened in place, it is loaded into memory; when the cache dir cannot be
written at all, the history is generated in memory and stays there.

A `hostile` store holds the same traffic with hostile strings in its text (hostile.py);
it is cached under its own name, so hostile and normal data never mix.

One connection serves all threads (`check_same_thread=False`), guarded by a lock; the
server calls in from Starlette's threadpool so SQL never runs on the event loop.

For the server's answer cache (answer_cache.py) the store says, without the lock or any
SQL, which version of the data a read made now would see (`snapshot()`), and which one
each read did see (`watch()`).
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import platformdirs

from datafast_tui.demo.generate import GENERATOR_VERSION, Progress, generate_history
from datafast_tui.demo.hostile_rows import rows_for
from datafast_tui.demo.live import LiveTraffic
from datafast_tui.demo.names import Names, load_names
from datafast_tui.demo.private_copy import WORKING_CACHE_KIB, load_into_memory, working_copy
from datafast_tui.demo.schema import COUNTED_TABLES
from datafast_tui.heap_trim import give_back_freed_memory

log = logging.getLogger(__name__)

DEFAULT_SEED = 42
Clock = Callable[[], datetime]
HOUR_MS = 3_600_000
NEVER = 2**63  # a store without live traffic is never due for a catch-up
#: Set to 1, stores open the cached file copy-on-write by default (see open_demo_database).
COPY_ON_WRITE_ENV = "DATAFAST_DEMO_COPY_ON_WRITE"
#: The newest time stored in each table of events (each one read from its time index).
_LATEST_EVENTS = ("SELECT (SELECT MAX(ts) FROM pageviews), (SELECT MAX(ts) FROM goals),"
                  " (SELECT MAX(ts) FROM payments), (SELECT MAX(start_ms) FROM sessions)")


def utc_now() -> datetime:
    """The default clock: the real time, aware, in UTC."""
    return datetime.now(timezone.utc)


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The store as one read sees it: which data, at what time, and whether that time matters.

    `version` is SQLite's count of rows changed on the connection (`total_changes`): it moves
    with every insert, update or delete, whoever makes it (live traffic, a POST, a test's
    SQL), and never comes back. `settled`: no event is stored after `now_ms` (none is, unless
    the clock was moved back or a payment was posted with a later date), so a range ending
    "now" holds all the data and an answer over it depends on the version, not on the moment.
    """

    version: int
    now_ms: int
    settled: bool


class DemoDatabase:
    """One private event store plus its clock, live traffic and names.

    Use `read()` / `write()` to get the connection and the current time (ms) under the
    lock; `write()` is one transaction, rolled back when the block raises. `hostile` tells
    whether the data is laced with hostile strings; `names` maps the store's keys (pages,
    country codes, ...) to what the API shows. Handlers must reach the data and the clock
    through `read()` / `write()` only: that is what `watch()` sees.
    """

    def __init__(self, conn: sqlite3.Connection, *, seed: int, clock: Clock, live: bool,
                 notices: tuple[str, ...] = ()) -> None:
        self._conn = conn
        #: Refuses SQL once a store on the shared cache file is no longer inside its private transaction.
        self._ensure_private: Callable[[], None] = getattr(conn, "ensure_private", lambda: None)
        #: What a user should know about how the store was opened (a cache that could not be written).
        self.notices = notices
        self._lock = threading.RLock()
        self.seed = seed
        self.clock = clock
        self.meta: dict[str, str] = dict(conn.execute("SELECT key, value FROM meta"))
        self.reference_ms = int(self.meta["reference_ms"])
        self.start_ms = int(self.meta["start_ms"])
        self.hostile = self.meta.get("hostile") == "1"
        self.names: Names = load_names(conn, self.hostile)
        rows = rows_for(seed, self.hostile)
        self._live = LiveTraffic(conn, seed=seed, reference_ms=self.reference_ms, rows=rows) if live else None
        self._watchers = threading.local()  # per thread: the list watch() collects into, if any
        # (version, newest event ms, next live catch-up ms): replaced whole, so a reader
        # without the lock never sees the parts of two different moments.
        self._state = (-1, 0, 0)
        with self._lock:
            self._refresh()
            self._sync()  # catch up now, so the first request is as fast as the others

    def now_ms(self) -> int:
        return to_ms(self.clock())

    def _refresh(self) -> None:
        """Re-read the version and the newest event after SQL that may have changed rows (locked)."""
        version, latest, _ = self._state
        if self._conn.total_changes != version:
            version = self._conn.total_changes
            latest = max((ms for ms in self._conn.execute(_LATEST_EVENTS).fetchone() if ms is not None), default=0)
        self._state = (version, latest, self._live.next_due_ms() if self._live is not None else NEVER)

    def _sync(self) -> int:
        """Catch live traffic up to now (locked); only when the clock has reached its next minute or event."""
        now = self.now_ms()
        if now >= self._state[2]:
            with self._conn:
                self._live.catch_up(now)
            self._refresh()
        return now

    def _seen(self, now: int) -> Snapshot:
        version, latest, _ = self._state
        return Snapshot(version, now, now >= latest)

    def snapshot(self) -> Snapshot | None:
        """What a read made now would see, without the lock or SQL; None when live traffic is due
        (then `settle()` catches it up). A write in progress is not seen until it is done."""
        now = self.now_ms()
        if now >= self._state[2]:
            return None
        return self._seen(now)

    def settle(self) -> Snapshot:
        """Catch live traffic up to now, under the lock; the snapshot a read would then see."""
        with self._lock:
            return self._seen(self._sync())

    @contextmanager
    def watch(self) -> Iterator[list[Snapshot]]:
        """Collect the snapshot of every `read()` this thread makes in the block: what an answer computed
        in it depends on (no read: neither the data nor the clock)."""
        seen: list[Snapshot] = []
        outer = getattr(self._watchers, "seen", None)
        self._watchers.seen = seen
        try:
            yield seen
        finally:
            self._watchers.seen = outer

    @contextmanager
    def read(self) -> Iterator[tuple[sqlite3.Connection, int]]:
        """The connection and the current time in ms, with live traffic caught up."""
        with self._lock:
            self._ensure_private()
            now = self._sync()
            seen = getattr(self._watchers, "seen", None)
            if seen is not None:
                seen.append(self._seen(now))
            try:
                yield self._conn, now
            finally:
                if self._conn.total_changes != self._state[0]:
                    self._refresh()  # rows were changed through a read: no answer from before may be reused

    @contextmanager
    def write(self) -> Iterator[tuple[sqlite3.Connection, int]]:
        """Like `read`, inside a transaction: nothing is kept if the block raises."""
        with self._lock:
            now = self._sync()
            try:
                with self._conn:  # kept on success (a savepoint released), rolled back on an exception
                    yield self._conn, now
            finally:
                self._refresh()  # before the lock is let go: the next snapshot shows the write

    def row_counts(self) -> dict[str, int]:
        """Rows per table (visitors, sessions, pageviews, goals, payments)."""
        with self.read() as (conn, _):
            return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTED_TABLES}

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def open_demo_database(
    *,
    seed: int = DEFAULT_SEED,
    clock: Clock | None = None,
    cache_dir: Path | None = None,
    live: bool = True,
    hostile: bool = False,
    progress: Progress | None = None,
    copy_on_write: bool | None = None,
) -> DemoDatabase:
    """A fresh private store for `seed`, with history up to the start of the current hour.

    `progress(fraction)` follows a generation (a first start of the day), not a cache load.

    `copy_on_write` opens the cached file itself, its changes kept in memory (no copy: for
    short-lived stores, a report, a test); otherwise the store works on a private copy whose
    changes spill to disk (private_copy.py: memory stays bounded for an app open all day).
    None: the environment's DATAFAST_DEMO_COPY_ON_WRITE=1 (the test suite sets it), else off.

    `hostile` laces every text field with hostile strings (see hostile.py). The generated
    history is cached in `cache_dir` (default: the platform cache dir) per seed, variant
    (normal or hostile), generator version and UTC date; a missing, corrupt or stale file
    is rebuilt, and an unusable cache dir means generating in memory.
    """
    clock = clock or utc_now
    now_ms = to_ms(clock())
    reference_ms = now_ms - now_ms % HOUR_MS
    directory = Path(cache_dir) if cache_dir is not None else Path(platformdirs.user_cache_dir("datafast-tui"))
    if copy_on_write is None:
        copy_on_write = os.environ.get(COPY_ON_WRITE_ENV) == "1"
    conn, problem = _load_or_build(directory, seed, reference_ms, now_ms, hostile, progress, copy_on_write)
    notices = () if problem is None else (
        f"Demo cache folder {directory} cannot be written ({problem}): the demo data is kept in memory "
        "and generated again at every start (a few seconds).",)
    return DemoDatabase(conn, seed=seed, clock=clock, live=live, notices=notices)


# demo-v<generator version>-seed<seed>[-hostile]-<UTC date>.sqlite
_CACHE_NAME = re.compile(r"demo-v(\d+)-seed(-?\d+)(-hostile)?-(\d{8})\.sqlite")


def cache_path(directory: Path, seed: int, reference_ms: int, hostile: bool = False) -> Path:
    """The cache file of one dataset: its version, seed, variant and day are in the name."""
    day = datetime.fromtimestamp(reference_ms / 1000, timezone.utc).strftime("%Y%m%d")
    variant = "-hostile" if hostile else ""
    return directory / f"demo-v{GENERATOR_VERSION}-seed{seed}{variant}-{day}.sqlite"


def _memory() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", check_same_thread=False)


class _CopyOnWrite(sqlite3.Connection):
    """A connection to the cached file whose changes never reach it: one transaction that is
    never committed.

    Opened with `nolock=1` (no file lock: other processes and other stores of this one open
    the same file the same way) and `cache_spill=OFF` (SQLite never writes a changed page
    into the file before a commit), the whole life of the store is one transaction begun at
    open. Each write block is a savepoint inside it (`with conn:` releases it, or rolls it
    back when the block raises), and closing rolls the transaction back: the changed pages
    lived in this process's memory only, so stores never see each other's changes and the
    file's bytes never change, even after a crash. `commit()` is refused; should SQLite
    itself end the transaction (it does after an out-of-memory error), `ensure_private()`
    refuses every later statement rather than let one commit on its own.
    """

    def begin_private(self) -> None:
        self.isolation_level = None  # no implicit BEGIN / COMMIT from the sqlite3 module
        self.execute("PRAGMA cache_spill = OFF")
        self.execute("PRAGMA journal_mode = MEMORY")  # savepoints roll back from memory; no journal file
        self.execute("BEGIN")
        # A write that changes nothing: an unwritable file fails here, not at the first real write.
        self.execute("UPDATE meta SET value = value WHERE 0")

    def ensure_private(self) -> None:
        if not self.in_transaction:
            raise sqlite3.OperationalError("the demo store's private transaction ended; reopen the store")

    def commit(self) -> None:
        raise sqlite3.ProgrammingError("a demo store is never committed: the cached file is shared")

    def __enter__(self) -> _CopyOnWrite:
        self.ensure_private()
        self.execute("SAVEPOINT write_block")
        return self

    def __exit__(self, kind, error, trace) -> bool:  # noqa: ANN001
        if kind is not None and self.in_transaction:
            self.execute("ROLLBACK TO write_block")
        if self.in_transaction:
            self.execute("RELEASE write_block")
        return False


def _copy_on_write(path: Path) -> sqlite3.Connection:
    """The cached store at `path`, opened so that its changes stay in this process (see
    `_CopyOnWrite`); when the file cannot be opened that way (it cannot be written), a copy
    in memory.

    No copy of the 70 MB file: the app used to copy it at every start (72 ms, and 70 MB
    written to the disk each time: 28 GB over one run of the test suite). Its SQLite page
    cache is bounded (WORKING_CACHE_KIB) for the pages it only reads: the file stays in the
    OS's page cache, which SQLite reads with a syscall per page it lacks; only changed pages
    (live traffic, posted goals and payments) stay in memory.

    Measured (every GET endpoint of bench_demo without the answer cache, interleaved in one
    process, 9 rounds): the sum of medians 603-618 ms on an in-memory copy, 641-670 ms
    with 2 MiB of cache, 643-659 with 4-8 MiB, 640 with 32 MiB: 4-8% slower at any size, so
    the smallest (SQLite's default size); each MiB of cache is a MiB of the app's RSS.
    Not mmap: mapped pages count in the process's RSS."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?nolock=1", uri=True, check_same_thread=False,
                               factory=_CopyOnWrite)
    except sqlite3.Error as exc:
        log.info("cannot open %s in place (%s); copying it into memory", path, exc)
    else:
        try:
            conn.execute(f"PRAGMA cache_size = -{WORKING_CACHE_KIB}")
            conn.begin_private()
        except sqlite3.Error as exc:
            conn.close()
            if "readonly" not in str(exc):
                raise
            log.info("cannot open %s in place (%s); copying it into memory", path, exc)
        else:
            return conn
    return load_into_memory(path)


def _load_or_build(directory: Path, seed: int, reference_ms: int, now_ms: int, hostile: bool,
                   progress: Progress | None = None,
                   copy_on_write: bool = False) -> tuple[sqlite3.Connection, str | None]:
    """The store, loaded from the cache or generated; and why it could not be cached, if it could not."""
    path = cache_path(directory, seed, reference_ms, hostile)
    if path.exists():
        try:
            return _load(path, seed, now_ms, hostile, copy_on_write), None
        except (sqlite3.Error, OSError, KeyError, ValueError) as exc:
            log.warning("demo cache %s unusable (%s); rebuilding it", path, exc)
    conn = _memory()
    generate_history(conn, seed, reference_ms, hostile=hostile, progress=progress)
    problem = _store(conn, directory, path)
    if problem is None:  # cached: work on a copy of the file, not on the 70 MB in memory
        try:
            copy = _load(path, seed, now_ms, hostile, copy_on_write)
        except (sqlite3.Error, OSError, KeyError, ValueError) as exc:
            log.warning("demo cache %s unusable right after writing it (%s); keeping the store in memory", path, exc)
        else:
            conn.close()
            give_back_freed_memory()  # glibc kept the closed in-memory store's heap: +55 MB resident, +12 after
            return copy, None
    return conn, problem


def _load(path: Path, seed: int, now_ms: int, hostile: bool, copy_on_write: bool) -> sqlite3.Connection:
    """The cached store, copy-on-write or as a private copy, refusing anything that is not a
    complete, matching one."""
    conn = _copy_on_write(path) if copy_on_write else working_copy(path)
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        if meta.get("complete") != "1" or meta.get("generator_version") != str(GENERATOR_VERSION):
            raise ValueError("incomplete or from another generator version")
        if meta.get("seed") != str(seed) or int(meta["reference_ms"]) > now_ms:
            raise ValueError("made for another seed or a later time")
        if (meta.get("hostile") == "1") != hostile:
            raise ValueError("hostile data where normal data was expected, or the reverse")
        for table in COUNTED_TABLES:  # reads every table's root: a mangled file fails here
            conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _is_stale(candidate: Path, current: Path) -> bool:
    """Another day of the same dataset (seed and variant), or any file of another version."""
    this, that = _CACHE_NAME.fullmatch(current.name), _CACHE_NAME.fullmatch(candidate.name)
    if candidate == current or this is None or that is None:
        return False
    return that[1] != this[1] or (that[2], that[3]) == (this[2], this[3])


def _store(conn: sqlite3.Connection, directory: Path, path: Path) -> str | None:
    """Write the store to the cache atomically (temp file + rename); failures are not fatal.

    Returns None when written, else the reason it could not be (for the user: not a crash)."""
    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".demo-", suffix=".tmp", dir=directory)
        os.close(fd)
        target = sqlite3.connect(tmp)
        try:
            conn.backup(target)
        finally:
            target.close()
        os.replace(tmp, path)
        tmp = None
        for candidate in directory.glob("demo-v*-seed*-*.sqlite"):
            if _is_stale(candidate, path):
                _remove_stale(candidate)
    except (OSError, sqlite3.Error) as exc:
        log.warning("demo cache dir %s not writable (%s); keeping the store in memory only", directory, exc)
        return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return None


def _remove_stale(candidate: Path) -> None:
    """Delete an old cache file; one that cannot be (Windows: a running app has it open) stays for next time."""
    try:
        candidate.unlink(missing_ok=True)
    except OSError as exc:
        log.info("old demo cache %s not removed yet (%s)", candidate, exc)
