"""The API key never appears in a log line, an error text, an export, a screenshot or a snapshot.

Runs last (see tests/conftest.py) and searches what the whole test run produced.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CREATED_ERRORS, LOG_RECORDER, SECRET_KEYS

ROOT = Path(__file__).resolve().parents[1]


def _leaks(text: str) -> list[str]:
    return [key for key in SECRET_KEYS if key in text]


def test_no_key_in_any_log_line() -> None:
    assert LOG_RECORDER.lines, "no log line was recorded: the recorder is not wired"
    assert [line for line in LOG_RECORDER.lines if _leaks(line)] == []


def test_no_key_in_any_error_text() -> None:
    assert CREATED_ERRORS, "no DataFastError was recorded: the recorder is not wired"
    texts = [f"{err}\n{err!r}\n{err.message}\n{err.args}" for err in CREATED_ERRORS]
    assert [t for t in texts if _leaks(t)] == []


def test_no_key_in_any_file_the_tests_wrote(tmp_path_factory: pytest.TempPathFactory) -> None:
    base = tmp_path_factory.getbasetemp()
    checked = 0
    offenders = []
    for path in base.rglob("*"):
        if not path.is_file() or path.suffix in (".sqlite", ".sqlite-journal") or path.stat().st_size > 20_000_000:
            continue
        checked += 1
        if _leaks(path.read_bytes().decode("utf-8", errors="replace")):
            offenders.append(str(path.relative_to(base)))
    assert checked, "no file under the test run's temp dir: nothing was checked"
    assert offenders == []


def test_no_key_in_screenshots_or_snapshots() -> None:
    images = [*ROOT.glob("screenshots/*.svg"), *ROOT.glob("tests/snapshots/__snapshots__/**/*.svg")]
    assert images
    assert [str(p) for p in images if _leaks(p.read_text(encoding="utf-8"))] == []
