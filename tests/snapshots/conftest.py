"""Snapshot tests use the UI fixtures: the demo with a frozen clock at a fixed terminal size."""

import pytest

from tests.ui.conftest import demo_cache, make_app, no_rate_limit_headers  # noqa: F401 - fixtures re-exported


@pytest.fixture(autouse=True)
def _drawn_the_same_on_every_run(no_rate_limit_headers: None) -> None:  # noqa: F811
    """See no_rate_limit_headers."""
