"""What Enter on a breakdown row filters by: the row's own dimension, and its parents when known.

Read from the catalogue (api/catalogue.py): which label of a row names it, which filter
dimension that label sets, and which broader dimensions (a city's country and region)
come with it. Plain code, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass

from datafast_tui.api.catalogue import (
    BREAKDOWN_ENDPOINTS,
    CAMPAIGN_PARTS,
    DIMENSION_SOURCES,
    breakdown_spec,
    parents_of,
)
from datafast_tui.api.filters import Filter, FilterError
from datafast_tui.api.models import BreakdownRow
from datafast_tui.data.breakdown_columns import TEXT, Column
from datafast_tui.safe_text import clean

#: Which campaign part Enter uses when the cursor is not on one: the deepest UTM level the row
#: has (content and term name one ad inside a campaign; source is the broadest), then the
#: non-UTM tags (ref, via, source), which are the alternatives to UTM tagging.
CAMPAIGN_SPECIFICITY = ("utm_content", "utm_term", "utm_campaign", "utm_medium", "utm_source", "ref", "via", "source")


@dataclass(frozen=True)
class Drill:
    """What Enter on a row does: the filters to add (the row's own last), or why it cannot."""

    filters: tuple[Filter, ...] = ()
    problem: str | None = None
    #: Parent dimensions (country, region) the row does not name, to look up with a request.
    look_up: tuple[str, ...] = ()


def dimension_for(endpoint: str, key: str) -> str | None:
    """The filter dimension of label `key` in `endpoint`'s rows (pages' path -> page)."""
    own = breakdown_spec(endpoint).filters if endpoint in BREAKDOWN_ENDPOINTS else ()
    found = next((dimension for dimension, label in own if label == key), None)
    # A label another endpoint owns (a page row's hostname): its dimension is the same.
    return found or next((d for d, (_, label) in DIMENSION_SOURCES.items() if label == key), None)


def _drill_key(endpoint: str, row: BreakdownRow, column: Column | None) -> str | None:
    if column is not None and column.kind == TEXT and dimension_for(endpoint, column.key):
        if endpoint != "campaigns" or row.labels.get(column.key):
            return column.key
    if endpoint == "campaigns":
        return next((k for k in CAMPAIGN_SPECIFICITY if row.labels.get(k)), CAMPAIGN_PARTS[0])
    # The label this endpoint breaks down by (a page's path, not its hostname; a city, not
    # the country a live row may carry beside it).
    own = breakdown_spec(endpoint).own_labels if endpoint in BREAKDOWN_ENDPOINTS else frozenset()
    return next((k for k in row.labels if k in own), None)


def _filter(dimension: str, value: str) -> tuple[Filter | None, str | None]:
    text = clean(value).strip()
    if not text:
        return None, f"this row has no {dimension} to filter by"
    try:
        return Filter(dimension, "is", (text,)), None
    except FilterError as exc:
        return None, str(exc)


def drill_for(endpoint: str, row: BreakdownRow, column: Column | None) -> Drill:
    """The filters Enter adds for `row`, the cursor being on `column` (campaign parts, page hostnames)."""
    key = _drill_key(endpoint, row, column)
    dimension = dimension_for(endpoint, key) if key else None
    if key is None or dimension is None:
        return Drill(problem="these rows cannot be used as a filter")
    own, problem = _filter(dimension, row.labels.get(key, ""))
    if own is None:
        return Drill(problem=problem)
    parents: list[Filter] = []
    missing: list[str] = []
    # Where a region or a city sits, broadest first: added too when known (the rows carry
    # them, or a lookup finds exactly one).
    for parent in parents_of(dimension):
        found, _ = _filter(parent, row.labels.get(parent, ""))
        if found is not None:
            parents.append(found)
        else:
            missing.append(parent)
    return Drill(filters=(*parents, own), look_up=tuple(missing))
