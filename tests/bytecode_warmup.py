"""Compile the project and the tests once, before pytest-xdist starts its workers.

These machines set PYTHONDONTWRITEBYTECODE, so every process compiles every module it
imports from source: each of the four workers compiled the app and rewrote the 140-odd test
modules again (about 4 s of CPU each: collection took 6.6 s instead of 2.3 s), and each app
started in a pty compiled the app again. Python and pytest both still *read* bytecode found
on disk, so the controlling process writes it once here: plain .pyc for the app and the test
helpers (compileall writes whatever the variable says), and pytest's own assert-rewritten
.pyc for the test modules and conftests.

The files go to the usual __pycache__ folders, which .gitignore leaves out. The rewrite step
uses pytest's private helpers; if a pytest release changes them, it is skipped (the run is
only slower, never different).
"""

from __future__ import annotations

import compileall
import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def warm_up(config: pytest.Config) -> None:
    compileall.compile_dir(ROOT / "datafast_tui", quiet=1)
    compileall.compile_dir(ROOT / "tests", quiet=1)
    try:
        from _pytest.assertion import assertstate_key
        from _pytest.assertion.rewrite import PYC_TAIL, _read_pyc, _rewrite_test, _write_pyc, get_cache_dir

        state = config.stash[assertstate_key]
    except (ImportError, KeyError, AttributeError):
        return
    patterns = [*config.getini("python_files"), "conftest.py"]
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if not any(fnmatch.fnmatch(path.name, p) for p in patterns):
            continue
        pyc = get_cache_dir(path) / (path.name[:-3] + PYC_TAIL)
        if _read_pyc(path, pyc) is not None:
            continue  # up to date from an earlier run
        try:
            source_stat, code = _rewrite_test(path, config)
        except SyntaxError:
            continue  # pytest reports it when it collects the module
        try:
            pyc.parent.mkdir(exist_ok=True)
        except OSError:
            return  # a read-only checkout: every process compiles for itself, as before
        _write_pyc(state, code, source_stat, pyc)
