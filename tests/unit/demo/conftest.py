"""Fixtures for the demo API tests.

The history is generated once per test session into a temporary cache dir, at a frozen
clock; each test that writes gets its own private copy (`db`), read-only tests share one.
The hostile dataset (`hostile_cache`, `hostile_db`) and today's dataset for the real
`serve-demo` process (`serve_cache_home`) are generated once per session too, on demand.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from datafast_tui.demo import DemoDatabase, build_demo_app, open_demo_database
from datafast_tui.demo.faults import FaultPlan
from tests.shared_cache import frozen_datasets, todays_dataset_into

# A Thursday, 10:37 in the site's timezone (America/New_York): live traffic is flowing.
FROZEN = datetime(2026, 2, 19, 15, 37, 12, tzinfo=timezone.utc)
BASE_URL = "http://127.0.0.1/api/v1/"
AUTH = {"Authorization": "Bearer demo"}


class FrozenClock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime = FROZEN) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache dir holding the generated history for the default seed at FROZEN."""
    return frozen_datasets(tmp_path_factory, FrozenClock(), "unit")


@pytest.fixture(scope="session")
def shared_db(demo_cache: Path) -> DemoDatabase:
    """One store for tests that only read (never write to it)."""
    return open_demo_database(clock=FrozenClock(), cache_dir=demo_cache)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def db(demo_cache: Path, clock: FrozenClock) -> DemoDatabase:
    """A private store for one test (writes and clock moves stay in it)."""
    database = open_demo_database(clock=clock, cache_dir=demo_cache)
    yield database
    database.close()


@pytest.fixture(scope="session")
def hostile_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache dir holding the hostile history for the default seed at FROZEN."""
    return frozen_datasets(tmp_path_factory, FrozenClock(), "unit")


@pytest.fixture(scope="session")
def hostile_db(hostile_cache: Path) -> DemoDatabase:
    """One hostile store for tests that only read."""
    return open_demo_database(clock=FrozenClock(), cache_dir=hostile_cache, hostile=True)


@pytest.fixture(scope="session")
def serve_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An XDG_CACHE_HOME holding today's dataset (real clock), so serve-demo processes start fast."""
    home = tmp_path_factory.mktemp("xdg-cache")
    todays_dataset_into(tmp_path_factory, home / "datafast-tui")
    return home


def client_for(
    database: DemoDatabase, headers: dict[str, str] | None = None, faults: FaultPlan | None = None
) -> httpx.AsyncClient:
    app = build_demo_app(database=database, faults=faults)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=AUTH if headers is None else headers
    )


@pytest.fixture
async def api(shared_db: DemoDatabase) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the shared read-only store."""
    async with client_for(shared_db) as client:
        yield client


@pytest.fixture
async def api_rw(db: DemoDatabase) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the test's private store."""
    async with client_for(db) as client:
        yield client


async def get_json(client: httpx.AsyncClient, path: str, **params: object) -> dict:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()
