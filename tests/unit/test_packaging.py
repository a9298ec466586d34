"""The built wheel carries the stylesheets, and an installed wheel finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # --no-build-isolation: build with the hatchling from the test extras, no network needed.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    return next(out.glob("datafast_tui-*.whl"))


def test_wheel_contains_every_stylesheet(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = sorted(p.name for p in (ROOT / "styles").glob("*.tcss"))
    assert sources, "styles/ has no .tcss files"
    for name in sources:
        assert f"datafast_tui/styles/{name}" in names
    assert "datafast_tui/cli.py" in names


def test_installed_wheel_finds_its_stylesheets(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, text=True)
    code = "from datafast_tui.resources import styles_dir; print(styles_dir())"
    # Run from an empty folder so the source checkout cannot be imported by accident.
    env = {**os.environ, "PYTHONPATH": str(site)}
    found = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                           check=True, capture_output=True, text=True).stdout.strip()
    assert Path(found) == site / "datafast_tui" / "styles"
    assert (Path(found) / "app.tcss").is_file()


def test_source_checkout_finds_top_level_styles() -> None:
    from datafast_tui.resources import styles_dir

    assert styles_dir() in (ROOT / "styles", ROOT / "datafast_tui" / "styles")
