"""Opening a store for a connection: the real API over HTTPS, or the demo API.

The demo runs in a process of its own for the app's `--demo` (demo_process.py: off the UI's
GIL), or in-process (tests, time travel with a clock of their own, `report`, and when the
child cannot start). Its first start generates the dataset (a few seconds), so it runs
beside the UI, which stays responsive meanwhile; `DemoPreload` starts it before Textual
does, so the two overlap. Later starts open the cached dataset.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from datafast_tui.api.client import ACCOUNT_TOKEN_PREFIX, DataFastClient
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.data.answer_shelf import AnswerShelf, AnswerShelves
from datafast_tui.data.cached_copy import CachedCopyStore
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.demo_process import DemoEndpoint, DemoProcess, DemoProcessError
from datafast_tui.settings import Connection, Settings

log = logging.getLogger(__name__)
#: Set to 1, `--demo` runs the demo in-process (the test suite sets it: fast, and one process).
IN_PROCESS_ENV = "DATAFAST_DEMO_IN_PROCESS"
DEMO_BASE_URL = "http://127.0.0.1/api/v1/"

StoreFactory = Callable[[Connection], Awaitable[AnalyticsStore]]


class DemoProgress:
    """How far the demo's first start has got generating its data (read by the app's header).

    Written by the thread that builds the dataset, read by the UI: one float, no lock needed.
    """

    def __init__(self) -> None:
        #: 0 to 1 while generating; None before it starts, or when the data came from the cache.
        self.fraction: float | None = None

    def __call__(self, fraction: float) -> None:
        self.fraction = fraction


@dataclass(frozen=True)
class DemoOptions:
    """How to run the embedded demo: dataset seed, clock, cache folder, hostile data, faults."""

    seed: int | None = None
    clock: Callable[[], datetime] | None = None  # None: the real time
    cache_dir: Path | None = None  # None: the platform cache dir
    hostile: bool = False  # hostile strings in every text field (robustness checks)
    faults: Any = None  # a demo FaultPlan (random 500s, 429s, slow, broken bodies, resets)
    progress: DemoProgress | None = None  # told how far a generation of the dataset got
    #: Open the cached dataset copy-on-write (a short-lived store: `report`); None: the default.
    copy_on_write: bool | None = None
    #: Serve the demo from a child process (demo_process.py); never with a clock of the caller's.
    separate_process: bool = False

    def open(self) -> httpx.ASGITransport | DemoEndpoint:
        """The demo API: a child's endpoint, or an in-process transport (blocking: builds or opens
        the dataset). A child that cannot start or open its data leaves the demo in-process."""
        if self.separate_process and self.clock is None:
            try:
                return _child_for(self).endpoint.result()
            except DemoProcessError as exc:
                log.warning("demo in-process instead (%s)", exc)
        return self.transport()

    def transport(self) -> httpx.ASGITransport:
        """An in-process transport to a fresh demo API (blocking: builds or opens the dataset)."""
        from datafast_tui.demo import DEFAULT_SEED, build_demo_app

        app = build_demo_app(seed=DEFAULT_SEED if self.seed is None else self.seed, clock=self.clock,
                             cache_dir=self.cache_dir, hostile=self.hostile, faults=self.faults,
                             progress=self.progress, copy_on_write=self.copy_on_write)
        return httpx.ASGITransport(app=app)


def demo_options(settings: Settings) -> DemoOptions:
    """The demo's options from the settings (a fault plan only when --faults asks for one)."""
    faults = None
    if settings.demo_faults > 0:
        from datafast_tui.demo import FaultPlan

        faults = FaultPlan(settings.demo_faults, seed=settings.demo_seed or 0)
    return DemoOptions(seed=settings.demo_seed, hostile=settings.demo_hostile, faults=faults,
                       progress=DemoProgress(), separate_process=os.environ.get(IN_PROCESS_ENV) != "1")


#: The child serving each dataset (seed, variant, faults): every demo store of the app shares it.
_children: dict[tuple[object, ...], DemoProcess] = {}
_children_lock = threading.Lock()


def _child_for(options: DemoOptions) -> DemoProcess:
    faults = options.faults
    rate, fault_seed = (faults.rate, faults.seed) if faults is not None else (0.0, 0)
    key = (options.seed, options.hostile, rate, fault_seed)
    with _children_lock:
        child = _children.get(key)
        if child is None or (child.endpoint.done() and child.endpoint.exception() is not None):
            child = _children[key] = DemoProcess(seed=options.seed, hostile=options.hostile, fault_rate=rate,
                                                 fault_seed=fault_seed, progress=options.progress)
        return child


class DemoPreload:
    """The demo dataset, opened in a thread started before the UI, so the two overlap at start-up.

    Used once: the first demo store takes it; a later switch back to the demo opens a fresh one.
    """

    def __init__(self, options: DemoOptions, *, start: bool = True) -> None:
        self._future: Future[httpx.ASGITransport | DemoEndpoint] | None = Future()
        self._options = options
        self.started = False
        if start:
            self.start()

    def start(self) -> None:
        """Start opening the dataset (once)."""
        if not self.started:
            self.started = True
            threading.Thread(target=self._run, args=(self._options,), name="demo-preload", daemon=True).start()

    def _run(self, options: DemoOptions) -> None:
        assert self._future is not None
        try:
            self._future.set_result(options.open())
        except BaseException as exc:  # noqa: BLE001 - handed to whoever awaits the store
            self._future.set_exception(exc)

    def take(self) -> Future[httpx.ASGITransport | DemoEndpoint] | None:
        future, self._future = self._future, None
        return future


def shelf_for(shelves: AnswerShelves, connection: Connection, demo: DemoOptions | None = None) -> AnswerShelf:
    """Where the answers of `connection` are kept: one shelf per API address, key and website
    (and, for the demo, per dataset: seed and variant)."""
    if connection.demo:
        options = demo or DemoOptions()  # (not the demo package: importing it costs start-up time)
        seed = "default" if options.seed is None else options.seed
        extra = f"demo {seed} {'hostile' if options.hostile else 'normal'} {connection.demo_account}"
        return shelves.shelf(DEMO_BASE_URL, "demo", f"{extra} {connection.website_id or ''}")
    return shelves.shelf(connection.base_url, connection.api_key or "", connection.website_id or "")


def cached_copy(shelf: AnswerShelf, connection: Connection) -> CachedCopyStore | None:
    """A store answering from what `shelf` kept, or None when it kept nothing."""
    if not len(shelf):
        return None
    if connection.demo:
        base_url, account_token = DEMO_BASE_URL, connection.demo_account
    else:
        base_url, account_token = connection.base_url, (connection.api_key or "").startswith(ACCOUNT_TOKEN_PREFIX)
    return CachedCopyStore(shelf, base_url=base_url, account_token=account_token, website_id=connection.website_id)


async def open_store(connection: Connection, *, demo: DemoOptions | None = None,
                     rate_limiter: RateLimiter | None = None, preload: DemoPreload | None = None,
                     shelf: AnswerShelf | None = None) -> AnalyticsStore:
    """A store for `connection`. Raises ConfigurationError for an unusable base URL or key.

    With `shelf`, its good answers are kept there (the next start paints them at once)."""
    store = await _open_store(connection, demo=demo, rate_limiter=rate_limiter, preload=preload)
    if shelf is not None:
        store.client.on_answer = shelf.record
        store.identity = shelf.identity
    return store


async def _open_store(connection: Connection, *, demo: DemoOptions | None,
                      rate_limiter: RateLimiter | None, preload: DemoPreload | None) -> AnalyticsStore:
    if connection.demo:
        ready = preload.take() if preload is not None else None
        if ready is not None:
            source = await asyncio.wrap_future(ready)
        else:
            source = await asyncio.to_thread((demo or DemoOptions()).open)
        if isinstance(source, DemoEndpoint):
            key = source.account_token if connection.demo_account else source.api_key
            client = await asyncio.to_thread(DataFastClient, key, base_url=source.base_url, rate_limiter=rate_limiter,
                                             website_id=connection.website_id)
            return AnalyticsStore(client, notices=source.notices, site_id=connection.website_id or source.website_id)
        from datafast_tui.demo import DEMO_API_KEY
        from datafast_tui.demo.server import account_token_for, website_id

        transport = source
        # The demo's account token when a site was picked from its account (w, "account token").
        key = account_token_for(DEMO_API_KEY) if connection.demo_account else DEMO_API_KEY
        client = DataFastClient(key, base_url=DEMO_BASE_URL, transport=transport,
                                rate_limiter=rate_limiter, website_id=connection.website_id)
        # The demo database says if its cache folder could not be written (shown, not fatal).
        database = transport.app.state.database  # type: ignore[attr-defined]
        return AnalyticsStore(client, notices=database.notices, site_id=connection.website_id or website_id(database))
    assert connection.api_key is not None
    # In a thread: the HTTPS context it builds reads the CA bundle (~50 ms, the GIL released),
    # which the first screen's painting need not wait for.
    client = await asyncio.to_thread(DataFastClient, connection.api_key, base_url=connection.base_url,
                                     rate_limiter=rate_limiter, website_id=connection.website_id)
    return AnalyticsStore(client)
