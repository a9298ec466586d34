"""`--demo` serves from a child process (demo_process.py, demo/child.py): it says how far a
first generation got, serves the API with a key of its own that no command line shows, ends
with the app, and when it cannot start the demo runs in-process instead."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import datafast_tui.store_factory as store_factory
from datafast_tui.demo_process import DemoProcess, DemoProcessError
from datafast_tui.settings import Connection
from datafast_tui.store_factory import DemoOptions, DemoProgress, open_store


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.05)
    return False


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder for the child (platformdirs follows XDG_CACHE_HOME): it generates."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg"


@pytest.fixture(scope="module")
def module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("child-cache")


@pytest.fixture
def shared_cache(module_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One cache folder for this module's other children: the first generates, the rest open it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(module_cache))
    return module_cache


def test_the_child_generates_with_progress_serves_with_its_own_key_and_ends_with_its_stdin(fresh_cache: Path) -> None:
    seen: list[float] = []
    child = DemoProcess(seed=42, hostile=False, progress=seen.append)
    endpoint = child.endpoint.result(timeout=120)
    proc = child._proc  # noqa: SLF001 - the process is what this test is about
    assert proc is not None
    try:
        assert seen and 0 < seen[-1] <= 1 and seen == sorted(seen)  # a first start of the day: generated
        assert endpoint.base_url.startswith("http://127.0.0.1:") and endpoint.base_url.endswith("/api/v1/")
        assert endpoint.api_key not in " ".join(proc.args) and endpoint.api_key not in repr(endpoint)
        with httpx.Client(base_url=endpoint.base_url) as http:
            good = http.get("analytics/overview", headers={"Authorization": f"Bearer {endpoint.api_key}"})
            assert good.status_code == 200 and good.json()["status"] == "success"
            assert http.get("analytics/overview", headers={"Authorization": "Bearer demo"}).status_code == 401
            listed = http.get("admin/websites", headers={"Authorization": f"Bearer {endpoint.account_token}"})
            assert listed.status_code == 200 and endpoint.website_id in listed.text
        assert list(fresh_cache.rglob("demo-v*.sqlite"))  # cached for the next start
    finally:
        child.close()
    assert _gone(proc.pid, 5)


def test_the_child_ends_when_the_app_dies_without_closing_it(shared_cache: Path) -> None:
    """A killed app closes nothing: its end of the pipe closing is what tells the child."""
    script = (
        "import sys, time; from datafast_tui.demo_process import DemoProcess\n"
        "child = DemoProcess(seed=42, hostile=False)\n"
        "child.endpoint.result(timeout=120); print(child._proc.pid, flush=True); time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(parent.stdout.readline())
        parent.kill()
        parent.wait()
        assert _gone(pid, 10)
    finally:
        parent.kill()


def test_a_child_that_cannot_start_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    with pytest.raises(DemoProcessError, match="cannot start the demo's process"):
        DemoProcess(seed=None, hostile=False)


def test_a_child_that_fails_leaves_the_demo_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**_: object) -> DemoProcess:
        raise DemoProcessError("cannot start the demo's process (no such file)")

    in_process = object()
    monkeypatch.setattr(store_factory, "DemoProcess", broken)
    monkeypatch.setattr(store_factory, "_children", {})
    monkeypatch.setattr(DemoOptions, "transport", lambda self: in_process)
    assert DemoOptions(separate_process=True).open() is in_process
    assert DemoOptions(separate_process=False).open() is in_process


def test_an_app_store_on_the_child_reads_the_demo(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What `--demo` opens: a store whose client talks HTTP to the child, its notices and site id from it."""
    monkeypatch.setattr(store_factory, "_children", {})
    options = DemoOptions(separate_process=True, progress=DemoProgress())

    async def run() -> None:
        store = await open_store(Connection(demo=True), demo=options)
        try:
            assert store.client.base_url.startswith("http://127.0.0.1:")
            metadata = (await store.metadata()).value
            assert metadata is not None and metadata.domain == "quillstack.dev" and store.site_id
        finally:
            await store.aclose()

    try:
        asyncio.run(run())
    finally:
        for child in store_factory._children.values():  # noqa: SLF001
            child.close()


def test_a_child_that_dies_is_started_again_where_it_was(shared_cache: Path) -> None:
    """Killed (out of memory, a stray kill): the app's stores reach the same URL with the same key again."""
    child = DemoProcess(seed=42, hostile=False)
    try:
        endpoint = child.endpoint.result(timeout=120)
        first = child._proc  # noqa: SLF001
        assert first is not None
        first.kill()
        headers = {"Authorization": f"Bearer {endpoint.api_key}"}
        deadline = time.monotonic() + 60
        answer = None
        while time.monotonic() < deadline:
            try:
                answer = httpx.get(endpoint.base_url + "analytics/overview", headers=headers)
                if child._proc is not first:  # noqa: SLF001
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        assert child.restarts == 1 and child._proc is not first  # noqa: SLF001
        assert answer is not None and answer.status_code == 200
    finally:
        child.close()
