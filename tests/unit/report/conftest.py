"""`datafast-tui report` against the in-process demo at the UI tests' frozen moment (the same dataset)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from datafast_tui.report.command import run
from datafast_tui.store_factory import DemoOptions
from tests.shared_cache import frozen_datasets
from tests.ui.conftest import FROZEN_NOW, frozen_clock

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "report"


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture(scope="session")
def report_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return frozen_datasets(tmp_path_factory, frozen_clock, "ui")


@pytest.fixture
def report(report_cache: Path, tmp_path: Path):  # noqa: ANN201
    """Run `datafast-tui report ARGS` on the frozen demo; no key in the environment, no config file."""

    def call(*argv: str, environ: dict[str, str] | None = None, faults: object = None) -> Outcome:
        out, err = io.StringIO(), io.StringIO()
        code = run(["--config", str(tmp_path / "none.toml"), *argv], environ=environ or {}, stdout=out, stderr=err,
                   demo=DemoOptions(clock=frozen_clock, cache_dir=report_cache, faults=faults), now=FROZEN_NOW,
                   width=120)
        return Outcome(code, out.getvalue(), err.getvalue())

    return call
