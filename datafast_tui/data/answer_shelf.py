"""The last answers of each site, kept on disk so the next start paints them at once.

One small JSON file per connection (site, key and API address) in the platform cache dir,
read once at start and written a moment after new answers came (and at exit). The API key
is never written: a file is named by a one-way fingerprint of the connection, so two keys
never share numbers, and nothing in it can give the key back. Files are 0600 (they hold a
site's traffic), bounded (entries, bytes, sites), and one that cannot be read as ours is
ignored with a log line and replaced by the next write.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import httpx

from datafast_tui.api.replay import answer_key
from datafast_tui.data.atomic_file import write_text_atomically

log = logging.getLogger(__name__)

FORMAT = 1
#: Bounds of one site's file: the answers of a few screens and queries, not a history.
MAX_ENTRIES = 120
MAX_BYTES = 4_000_000
MAX_BODY_BYTES = 1_000_000  # one answer larger than this (a 100k-row page) is not kept
#: Site files kept in the folder: the least recently written go first.
MAX_SITES = 12
#: Seconds after an answer before the file is written (answers come in bursts).
FLUSH_DELAY = 1.0


def fingerprint(base_url: str, key: str, extra: str = "") -> str:
    """A one-way name for a connection: the same for the same site, key and API address."""
    digest = hashlib.blake2b(f"{base_url}\0{key}\0{extra}".encode(), digest_size=16, person=b"dftui-answers")
    return digest.hexdigest()


class AnswerShelf:
    """The kept answers of one connection: `lookup` for the replay, `record` from the client."""

    def __init__(self, path: Path, base_url: str, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.identity = path.stem
        self._base = httpx.URL(base_url)
        self._clock = clock
        self._entries: OrderedDict[str, tuple[str, float]] = OrderedDict()  # oldest first
        self._bytes = 0
        self._dirty = False
        self._pending: asyncio.TimerHandle | None = None
        self._load()

    def __len__(self) -> int:
        return len(self._entries)

    # -- reading --------------------------------------------------------------------------

    def _load(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return
        except OSError as exc:
            log.warning("kept answers %s not readable (%s); starting without them", self.path, exc.strerror)
            return
        try:
            with os.fdopen(fd, "rb") as handle:
                raw = handle.read(MAX_BYTES * 2 + 1)  # more than ours ever are: not ours
            if len(raw) > MAX_BYTES * 2:
                raise ValueError(f"{len(raw)} bytes, more than this app ever writes")
            document = json.loads(raw)
            if not isinstance(document, dict) or document.get("format") != FORMAT:
                raise ValueError("not a file of this version")
            for key, body, fetched_at in document["entries"]:
                if isinstance(key, str) and isinstance(body, str) and isinstance(fetched_at, (int, float)):
                    self._put(key, body, float(fetched_at))
        except (OSError, ValueError, TypeError, KeyError, RecursionError) as exc:
            log.warning("kept answers %s ignored: %s", self.path, type(exc).__name__ if isinstance(exc, RecursionError)
                        else exc)
            self._entries.clear()
            self._bytes = 0

    def lookup(self, key: str) -> tuple[str, float] | None:
        """(body, wall-clock time it was fetched), or None when none is kept."""
        return self._entries.get(key)

    @property
    def newest(self) -> float | None:
        """When the most recent kept answer was fetched."""
        return max((fetched for _, fetched in self._entries.values()), default=None)

    # -- writing --------------------------------------------------------------------------

    def record(self, request: httpx.Request, content: bytes) -> None:
        """Keep the answer to a GET (called by the client with each good answer)."""
        key = answer_key(request.url, self._base)
        if key is None or len(content) > MAX_BODY_BYTES:
            return
        try:
            body = content.decode("utf-8")
        except UnicodeDecodeError:
            return
        self._put(key, body, self._clock())
        self._dirty = True
        self._schedule()

    def _put(self, key: str, body: str, fetched_at: float) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old[0])
        self._entries[key] = (body, fetched_at)
        self._bytes += len(body)
        while self._entries and (len(self._entries) > MAX_ENTRIES or self._bytes > MAX_BYTES):
            _, (dropped, _) = self._entries.popitem(last=False)
            self._bytes -= len(dropped)

    def _schedule(self) -> None:
        if self._pending is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # outside a loop (a script, a test): flush() writes it
        self._pending = loop.call_later(FLUSH_DELAY, self._flush_soon, loop)

    def _flush_soon(self, loop: asyncio.AbstractEventLoop) -> None:
        self._pending = None
        text = self._snapshot()
        if text is not None:  # encoded here (consistent), written off the UI thread
            loop.run_in_executor(None, self._write, text)

    def _snapshot(self) -> str | None:
        if not self._dirty:
            return None
        self._dirty = False
        entries = [[key, body, fetched] for key, (body, fetched) in self._entries.items()]
        return json.dumps({"format": FORMAT, "entries": entries}, ensure_ascii=False, separators=(",", ":"))

    def flush(self) -> None:
        """Write what changed now (at exit)."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        text = self._snapshot()
        if text is not None:
            self._write(text)

    def _write(self, text: str) -> None:
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_text_atomically(self.path, text)
            _prune(self.path.parent, keep=self.path)
        except OSError as exc:
            log.warning("kept answers %s not written (%s)", self.path, exc.strerror or exc)


def _prune(directory: Path, keep: Path) -> None:
    """Drop the least recently written site files beyond MAX_SITES."""
    files = []
    for candidate in directory.glob("answers-*.json"):
        try:
            files.append((candidate.stat().st_mtime, candidate))
        except OSError:
            continue
    files.sort(reverse=True)
    for _, old in files[MAX_SITES:]:
        if old != keep:
            old.unlink(missing_ok=True)


class AnswerShelves:
    """The shelf of each connection in one folder (the platform cache dir's `answers`)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._open: dict[str, AnswerShelf] = {}

    def shelf(self, base_url: str, key: str, extra: str = "") -> AnswerShelf:
        name = fingerprint(base_url, key, extra)
        if name not in self._open:
            self._open[name] = AnswerShelf(self.directory / f"answers-{name}.json", base_url)
        return self._open[name]

    def flush(self) -> None:
        for shelf in self._open.values():
            shelf.flush()
