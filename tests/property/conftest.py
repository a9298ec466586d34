"""Hypothesis settings for the property tests: bounded, derandomised runs that hold on a busy machine.

`derandomize`: the same examples every run (a failure is reproducible, CI is not flaky);
no deadline: a shared CI machine may be slow for one example without anything being wrong.
DATAFAST_HYPOTHESIS_EXAMPLES raises the count for a long local run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "suite",
    max_examples=int(os.environ.get("DATAFAST_HYPOTHESIS_EXAMPLES", "60")),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("suite")
