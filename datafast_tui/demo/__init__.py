"""A DataFast-compatible demo API over an embedded SQLite event store.

Serves every endpoint of the DataFast API docs under `/api/v1/`, computed by SQL over
deterministic synthetic traffic (with live traffic arriving as the clock advances). Used
in-process through `httpx.ASGITransport` by the app's demo mode and the tests, and as a
real loopback server by `datafast-tui serve-demo` (see serve.py). Never imports Textual
nor the app's API client.

For robustness tests: `hostile=True` serves a dataset with hostile strings in every text
field (hostile.py), and `faults=FaultPlan(rate)` makes a share of the requests fail in
documented ways (faults.py).
"""

from datafast_tui.demo.database import DEFAULT_SEED, DemoDatabase, open_demo_database
from datafast_tui.demo.faults import FAULT_KINDS, FaultPlan
from datafast_tui.demo.server import DEMO_API_KEY, build_demo_app

__all__ = [
    "DEFAULT_SEED",
    "DEMO_API_KEY",
    "FAULT_KINDS",
    "DemoDatabase",
    "FaultPlan",
    "build_demo_app",
    "open_demo_database",
]
