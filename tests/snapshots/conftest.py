"""Snapshot tests use the UI fixtures: the demo with a frozen clock at a fixed terminal size."""

from tests.ui.conftest import demo_cache, make_app  # noqa: F401 - fixtures re-exported for this folder
