"""Where the app's stylesheets are, in a source checkout or an installed wheel.

The `.tcss` files live in the top-level `styles/` folder of the source tree; the wheel build
copies them into `datafast_tui/styles/` (see pyproject.toml). An installed wheel therefore
finds them inside the package, and an editable install finds them beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def styles_dir() -> Path:
    """The folder holding app.tcss and the per-screen stylesheets."""
    for candidate in (_PACKAGE / "styles", _PACKAGE.parent / "styles"):
        if (candidate / "app.tcss").is_file():
            return candidate
    raise FileNotFoundError(
        f"datafast-tui stylesheets not found in {_PACKAGE / 'styles'} or {_PACKAGE.parent / 'styles'}; "
        "the installation is incomplete"
    )


def stylesheet(name: str) -> Path:
    """The path of one stylesheet, e.g. `stylesheet("overview.tcss")`."""
    return styles_dir() / name
