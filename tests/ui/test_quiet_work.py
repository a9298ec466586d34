"""Our `work` decorator: a worker's arguments are never repr()'d (Textual's own decorator reprs
each one on every call, 294 ms for a breakdown tab of 100,000 rows), and the worker still runs
in its group, exclusively when asked, with its result and errors where Textual puts them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.worker import WorkerFailed, WorkerState

from datafast_tui.quiet_work import work

SOURCES = Path(__file__).resolve().parents[2] / "datafast_tui"


class Bulky:
    """An argument that counts how often it is repr()'d."""

    reprs = 0

    def __repr__(self) -> str:
        Bulky.reprs += 1
        return "Bulky(...)"


class Harness(App[None]):
    @work(group="loads", exclusive=True, exit_on_error=False)
    async def load(self, data: Bulky, *, label: str) -> str:
        return f"{label}: loaded"

    @work(group="fails", exit_on_error=False)
    async def fail(self, data: Bulky) -> None:
        raise ValueError("bad answer")


async def test_arguments_are_not_repred_and_the_worker_runs() -> None:
    Bulky.reprs = 0
    app = Harness()
    async with app.run_test():
        worker = app.load(Bulky(), label="first")
        assert await worker.wait() == "first: loaded"
        assert worker.group == "loads"
        assert worker.description == "Harness.load"
        assert Bulky.reprs == 0


async def test_an_exclusive_worker_cancels_the_one_before() -> None:
    app = Harness()
    async with app.run_test() as pilot:
        first = app.load(Bulky(), label="first")
        second = app.load(Bulky(), label="second")
        assert await second.wait() == "second: loaded"
        await pilot.pause()
        assert first.is_cancelled


async def test_a_failing_worker_keeps_its_error() -> None:
    app = Harness()
    async with app.run_test():
        worker = app.fail(Bulky())
        with pytest.raises(WorkerFailed):
            await worker.wait()
        assert worker.state is WorkerState.ERROR
        assert isinstance(worker.error, ValueError)


def test_no_module_uses_textuals_own_decorator() -> None:
    """Every worker goes through quiet_work (a new one with textual.work would repr its arguments)."""
    offenders = [
        str(path.relative_to(SOURCES)) for path in SOURCES.rglob("*.py")
        if path.name != "quiet_work.py" and any(
            line.startswith("from textual import") and "work" in line.split("import", 1)[1].replace(",", " ").split()
            for line in path.read_text(encoding="utf-8").splitlines())
    ]
    assert offenders == []
