"""The app's catalogue of breakdowns and the demo's own table agree with the docs, so neither can drift.

The demo is a server with a table of its own (demo/breakdowns.ENDPOINTS); the app reads
api/catalogue.py. Both are checked against the docs snapshot: the same eleven endpoints,
and the label and metric fields of each docs example are the catalogue's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from datafast_tui.api.catalogue import (
    BREAKDOWN_ENDPOINTS,
    BREAKDOWNS,
    CAMPAIGN_PARTS,
    DIMENSION_SOURCES,
    breakdown_spec,
    parents_of,
)
from datafast_tui.api.filters import DIMENSIONS
from datafast_tui.demo.breakdowns import ENDPOINTS as DEMO_ENDPOINTS
from tests.helpers import docs_example

DOCS = Path(__file__).resolve().parents[2] / "fixtures" / "datafast-api-docs.md"
#: The analytics endpoints that are not breakdowns.
NOT_BREAKDOWNS = {"timeseries", "overview", "metadata", "realtime", "realtime/map"}


def documented_breakdowns() -> set[str]:
    paths = re.findall(r"`GET https://datafa\.st/api/v1/analytics/([a-z/-]+)`", DOCS.read_text(encoding="utf-8"))
    return set(paths) - NOT_BREAKDOWNS


def test_the_docs_list_eleven_breakdowns_and_both_tables_hold_exactly_them() -> None:
    documented = documented_breakdowns()
    assert len(documented) == 11
    assert set(BREAKDOWN_ENDPOINTS) == documented
    assert set(DEMO_ENDPOINTS) == documented
    assert len(BREAKDOWN_ENDPOINTS) == len(set(BREAKDOWN_ENDPOINTS))


@pytest.mark.parametrize("endpoint", BREAKDOWN_ENDPOINTS)
def test_each_entry_names_the_fields_of_the_docs_example(endpoint: str) -> None:
    spec = breakdown_spec(endpoint)
    row = docs_example(endpoint)["data"][0]
    texts = [k for k, v in row.items() if isinstance(v, str) and k != "image"]
    if endpoint == "campaigns":
        texts = list(row["campaign"])
    numbers = [k for k, v in row.items() if isinstance(v, int | float) and not isinstance(v, bool)]
    assert list(spec.labels) == texts
    assert list(spec.metrics) == numbers
    assert spec.title and spec.filters, endpoint
    for dimension, label in spec.filters:
        assert dimension in DIMENSIONS and label in spec.labels, (endpoint, dimension, label)


def test_every_dimension_but_visit_count_has_a_breakdown_to_suggest_values_from() -> None:
    assert set(DIMENSION_SOURCES) == set(DIMENSIONS) - {"visit_count"}
    for dimension, (endpoint, label) in DIMENSION_SOURCES.items():
        assert label in breakdown_spec(endpoint).labels, dimension
    assert DIMENSION_SOURCES["page"] == DIMENSION_SOURCES["entry_page"] == ("pages", "path")


def test_parents_are_broader_dimensions_that_have_breakdowns() -> None:
    assert parents_of("city") == ("country", "region") and parents_of("region") == ("country",)
    assert parents_of("country") == () and parents_of("utm_source") == ()
    for spec in BREAKDOWNS:
        assert all(parent in DIMENSION_SOURCES for parent in spec.parents)
    assert breakdown_spec("campaigns").own_labels == set(CAMPAIGN_PARTS)
