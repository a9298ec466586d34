"""Demo datasets generated once per test run and shared by every pytest-xdist worker.

Generating a history costs about 5 s of CPU (6 s the hostile one). Each worker used to build
its own copies, up to seven per worker, which on a 2-core machine cost the suite about half
a minute. The workers' temp dirs have one parent: the first worker to ask builds a dataset
there under a file lock, the others wait for it and then only read it (every store opens a
copy-on-write: its changes stay in its own memory, so sharing the file shares nothing mutable).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

try:
    import fcntl
except ImportError:  # Windows: each worker builds its own (correct, only slower)
    fcntl = None  # type: ignore[assignment]

from datafast_tui.demo import open_demo_database


def shared_cache(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None],
                 part: str = "") -> Path:
    """The folder `name`, filled by `build(folder)` exactly once per run (per worker without fcntl).

    `part` names one of several builds into the same folder, each under its own lock, so two
    workers can build two parts at once (on two cores) instead of one after the other.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER") and fcntl is not None:
        root = root.parent
    folder, done = root / f"shared-{name}", root / f"shared-{name}{part}.done"
    with open(root / f"shared-{name}{part}.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            folder.mkdir(exist_ok=True)
            build(folder)
            done.touch()
    return folder


def frozen_datasets(tmp_path_factory: pytest.TempPathFactory, clock: Callable[[], datetime], name: str) -> Path:
    """A cache folder with the normal and the hostile history at `clock`'s moment."""
    # Odd workers start with the hostile part: the first two workers build both at once.
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    for hostile in (True, False) if worker % 2 else (False, True):
        folder = shared_cache(tmp_path_factory, name, lambda f, h=hostile: open_demo_database(
            clock=clock, cache_dir=f, live=False, hostile=h).close(), part="-hostile" if hostile else "")
    return folder


def todays_dataset_into(tmp_path_factory: pytest.TempPathFactory, folder: Path) -> None:
    """Put the real clock's dataset (what a subprocess of the app loads today) into `folder`."""

    def build(shared: Path) -> None:
        open_demo_database(cache_dir=shared, live=False).close()

    shared = shared_cache(tmp_path_factory, f"today-{datetime.now().date()}", build)
    shutil.copytree(shared, folder, dirs_exist_ok=True)
