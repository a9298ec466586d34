"""Values to suggest when typing a filter: the top rows of the breakdown that holds the dimension."""

from __future__ import annotations

from datafast_tui.api.catalogue import DIMENSION_SOURCES
from datafast_tui.api.errors import DataFastError
from datafast_tui.api.query import Query
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.safe_text import clean

SUGGESTION_ROWS = 100


async def suggest_values(store: AnalyticsStore, query: Query, dimension: str) -> list[str]:
    """Distinct, non-empty values seen for `dimension` (without that dimension's own filter)."""
    source = DIMENSION_SOURCES.get(dimension)
    if source is None:
        return []
    endpoint, key = source
    try:
        result = await store.breakdown(endpoint, query.without_filter(dimension), limit=SUGGESTION_ROWS)
    except DataFastError:
        return []
    seen: list[str] = []
    for row in result.value.rows:
        value = clean(row.labels.get(key, ""))
        if value and "," not in value and value not in seen:
            seen.append(value)
    return seen
