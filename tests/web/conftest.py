"""Fixtures of the `datafast-tui web` tests: private folders with today's demo dataset, and a server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.robustness.pty_app import private_env
from tests.shared_cache import todays_dataset_into
from tests.web.serving import WebServer


@pytest.fixture(scope="session")
def web_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Config, cache and state folders for the served apps, the cache holding the demo dataset
    for the real clock (the apps run at the real time): no app spends seconds generating it."""
    root = tmp_path_factory.mktemp("web-home")
    todays_dataset_into(tmp_path_factory, root / "cache" / "datafast-tui")
    return root


@pytest.fixture
def start_web(web_home: Path, tmp_path: Path) -> Iterator[Callable[..., WebServer]]:
    """`start_web(*args, **env)`: a running `datafast-tui web --port 0 *args`; killed at the end
    if the test did not stop it."""
    servers: list[WebServer] = []

    def start(*args: str, **env: str) -> WebServer:
        server = WebServer(list(args), private_env(web_home, **env), tmp_path / f"web-{len(servers)}")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.kill()
