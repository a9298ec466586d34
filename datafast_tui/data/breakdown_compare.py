"""A breakdown's rows beside the previous period's: each row's earlier value and its change.

With compare on, the previous period of the same endpoint is asked for once (its first
MAX_LIMIT rows, one request) and each row of the current period is matched to it by its
labels. Each row then carries two more numbers, `previous_<metric>` and `change` (percent,
of the tab's lead metric: visitors, or completions for goals), as if the API had sent them:
the table shows them as columns, sorts by them ("what rose or fell most") and exports them.
A row absent from the previous list gets no previous value: new in that period when the list
was complete, else below its end (it says which). Plain code, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from datafast_tui.api.catalogue import MAX_LIMIT, breakdown_spec
from datafast_tui.api.errors import DataFastError
from datafast_tui.api.models import Breakdown, BreakdownRow
from datafast_tui.api.query import Query
from datafast_tui.data.store import AnalyticsStore

CHANGE_KEY = "change"
PREVIOUS_PREFIX = "previous_"


def lead_metric(endpoint: str) -> str:
    """The number a row is compared by: the tab's first metric (visitors; goals: completions)."""
    try:
        return breakdown_spec(endpoint).metrics[0]
    except KeyError:
        return "visitors"


def _identity(row: BreakdownRow) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(row.labels.items()))


def percent_change(current: float | None, previous: float | None) -> float | None:
    """How far `current` moved from `previous`, in percent; None when there is no base to say it."""
    if current is None or not previous:
        return None
    return (current - previous) / abs(previous) * 100


@dataclass(frozen=True)
class PreviousPeriod:
    """The previous period's rows of one endpoint, by their labels."""

    metric: str
    values: dict[tuple[tuple[str, str], ...], float]
    #: Every row of that period is here (else rows not found may be below its end, not new).
    complete: bool

    @classmethod
    def from_page(cls, endpoint: str, page: Breakdown) -> PreviousPeriod:
        metric = lead_metric(endpoint)
        values = {_identity(row): row.metrics[metric] for row in page.rows if metric in row.metrics}
        return cls(metric, values, complete=not page.pagination.has_more)

    @property
    def previous_key(self) -> str:
        return PREVIOUS_PREFIX + self.metric

    def enrich(self, row: BreakdownRow) -> BreakdownRow:
        """`row` with its previous value and change among its metrics (none: not found there)."""
        old = self.values.get(_identity(row))
        if old is None:
            return row
        metrics = dict(row.metrics)
        metrics[self.previous_key] = old
        change = percent_change(row.metrics.get(self.metric), old)
        if change is not None:
            metrics[CHANGE_KEY] = change
        return replace(row, metrics=metrics)

    def enrich_page(self, page: Breakdown) -> Breakdown:
        return replace(page, rows=tuple(self.enrich(row) for row in page.rows))

    @property
    def missing_words(self) -> str:
        """What "–" in the previous column means."""
        if self.complete:
            return "– : not seen in the previous period"
        return f"– : not in the previous period's top {len(self.values):,}"


async def load_previous(store: AnalyticsStore, endpoint: str, query: Query, *,
                        refresh: bool = False) -> PreviousPeriod | None:
    """The previous period's rows for `query` with compare on; None without compare, for all time
    (no previous period), or when that request fails (the table is still right without them)."""
    previous = query.comparison() if query.compare else None
    if previous is None:
        return None
    try:
        result = await store.breakdown(endpoint, previous, limit=MAX_LIMIT, refresh=refresh)
    except DataFastError:
        return None
    return PreviousPeriod.from_page(endpoint, result.value)
