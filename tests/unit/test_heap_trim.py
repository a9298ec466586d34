"""The app hands freed heap back once its loads are done, never while one is in flight."""

from __future__ import annotations

from collections.abc import Callable

from datafast_tui.heap_trim import IdleTrim, give_back_freed_memory


class Rig:
    def __init__(self) -> None:
        self.scheduled: list[Callable[[], None]] = []
        self.trims = 0
        self.idle = IdleTrim(self.scheduled.append, trim=self.trim)

    def trim(self) -> None:
        self.trims += 1

    def repaint(self) -> None:
        """What the app's call_after_refresh does after the next refresh."""
        pending, self.scheduled[:] = list(self.scheduled), []
        for callback in pending:
            callback()


def test_the_end_of_the_last_load_trims_after_the_repaint() -> None:
    rig = Rig()
    for loading in (1, 2, 3, 2, 1):
        rig.idle.loads_changed(loading)
    assert rig.scheduled == []  # nothing while loads are in flight
    rig.idle.loads_changed(0)
    assert rig.trims == 0 and len(rig.scheduled) == 1
    rig.repaint()
    assert rig.trims == 1


def test_a_load_started_before_the_repaint_puts_the_trim_off_until_it_ends() -> None:
    rig = Rig()
    rig.idle.loads_changed(1)
    rig.idle.loads_changed(0)
    rig.idle.loads_changed(1)  # a key pressed at once: the next load
    rig.repaint()
    assert rig.trims == 0
    rig.idle.loads_changed(0)
    rig.repaint()
    assert rig.trims == 1


def test_a_burst_of_screen_switches_trims_once_per_repaint() -> None:
    rig = Rig()
    for _ in range(5):
        rig.idle.soon()
    assert len(rig.scheduled) == 1
    rig.repaint()
    assert rig.trims == 1
    rig.idle.loads_changed(0)  # no load ended: a status change with nothing loading trims nothing
    assert rig.scheduled == []


def test_the_real_trim_runs_anywhere() -> None:
    give_back_freed_memory()  # glibc: malloc_trim; elsewhere nothing, and never an error
