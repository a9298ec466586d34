"""The columns of a breakdown table and the raw value of each cell (no formatting, no Textual).

Every column the endpoint returns becomes a column: its text labels first, in the API's
order (campaign rows: the eight UTM/ref/source/via parts), then its numbers. Two derived
columns join them: the row's share of all visitors (of the same query, from the overview)
and, where rows carry revenue, revenue per visitor. The screen formats these values; the
exporter writes them raw. Sorting compares these raw values too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from datafast_tui.api.catalogue import (
    BREAKDOWN_ENDPOINTS,
    CAMPAIGN_PARTS,
    BreakdownSpec,
    breakdown_spec,
)
from datafast_tui.api.models import BreakdownRow
from datafast_tui.safe_text import clean

_TITLES = {
    "path": "Path", "hostname": "Hostname", "referrer": "Referrer", "goal": "Goal",
    "country": "Country", "region": "Region", "city": "City", "browser": "Browser",
    "operating_system": "OS", "device": "Device", "visitors": "Visitors", "revenue": "Revenue",
    "completions": "Completions", "share": "Share", "revenue_per_visitor": "Rev/visitor",
    "payments": "Payments",
}

#: Column kinds: how a value is written and which way it sorts first.
TEXT, COUNT, MONEY, PERCENT, CHANGE = "text", "count", "money", "percent", "change"
_UTM = CAMPAIGN_PARTS[:5]


@dataclass(frozen=True)
class Column:
    """One column: `key` names the API field (or the derived value), `kind` says how to show it."""

    key: str
    title: str
    kind: str
    derived: bool = False

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT


#: A campaign row in one cell: "google / cpc / docs-tool", "ref producthunt". Shown, never exported.
CAMPAIGN_SUMMARY = Column("campaign", "Campaign", TEXT, derived=True)


def campaign_summary(row: BreakdownRow) -> str:
    """The UTM parts a row has, in order and joined by " / ", then its other tags named."""
    utm = [clean(row.labels[k]) for k in _UTM if row.labels.get(k)]
    tags = [f"{k} {clean(row.labels[k])}" for k in CAMPAIGN_PARTS[5:] if row.labels.get(k)]
    return " · ".join(filter(None, [" / ".join(utm), *tags]))


def _metric_column(key: str) -> Column:
    if key == "change":  # breakdown_compare.py: the lead metric's change against the previous period
        return Column(key, "Change", CHANGE)
    if key.startswith("previous_"):
        return Column(key, "Prev. " + _TITLES.get(key.removeprefix("previous_"), key).lower(),
                      MONEY if "revenue" in key else COUNT)
    kind = MONEY if "revenue" in key else COUNT
    return Column(key, _TITLES.get(key, key.replace("_", " ").capitalize()), kind)


def columns_for(endpoint: str, rows: Iterable[BreakdownRow]) -> tuple[Column, ...]:
    """The columns of `endpoint`'s table: the labels and metrics the rows carry, plus derived ones.

    Keys the docs do not list (the live API sends more than it documents) are kept, after
    the known ones. With no rows, the documented fields make the header.
    """
    labels: dict[str, None] = {}
    metrics: dict[str, None] = {}
    for row in rows:
        labels.update(dict.fromkeys(row.labels))
        metrics.update(dict.fromkeys(row.metrics))
    if not labels and not metrics:
        spec = breakdown_spec(endpoint) if endpoint in BREAKDOWN_ENDPOINTS else BreakdownSpec(endpoint, "", (), ())
        labels, metrics = dict.fromkeys(spec.labels), dict.fromkeys(spec.metrics)
    columns = [Column(key, _TITLES.get(key, key), TEXT) for key in labels]
    if endpoint == "campaigns":  # the docs' order, whatever order the JSON object came in
        labels = {**{k: None for k in CAMPAIGN_PARTS if k in labels}, **labels}
        # Eight parts do not fit a terminal, and a row uses two or three of them: a summary
        # first, so every row reads at a glance; the parts follow (they scroll sideways).
        columns = [CAMPAIGN_SUMMARY] + [Column(key, _TITLES.get(key, key), TEXT) for key in labels]
    compared = [k for k in ("previous_visitors", "previous_completions", "change") if k in metrics]
    for key in [k for k in metrics if k not in compared] + compared:  # the comparison last
        columns.append(_metric_column(key))
        if key == "visitors":
            columns.append(Column("share", _TITLES["share"], PERCENT, derived=True))
        if key == "revenue" and "visitors" in metrics:
            columns.append(Column("revenue_per_visitor", _TITLES["revenue_per_visitor"], MONEY, derived=True))
    return tuple(columns)


def cell_value(column: Column, row: BreakdownRow, total_visitors: float | None) -> str | float | None:
    """The raw value of a cell: cleaned text, a number, or None when it cannot be known.

    `share` is a percent of `total_visitors` (None until that total is known);
    `revenue_per_visitor` is None for a row without visitors.
    """
    if column == CAMPAIGN_SUMMARY:
        return campaign_summary(row)
    if column.kind == TEXT:
        return clean(row.labels.get(column.key, ""))
    if column.key == "share":
        visitors = row.metrics.get("visitors")
        if visitors is None or not total_visitors:
            return None
        return visitors / total_visitors * 100
    if column.key == "revenue_per_visitor":
        return _revenue_per_visitor(row)
    return row.metrics.get(column.key)


def _revenue_per_visitor(row: BreakdownRow) -> float | None:
    revenue, visitors = row.metrics.get("revenue"), row.metrics.get("visitors")
    if revenue is None or not visitors:
        return None
    return revenue / visitors


def sort_key(column: Column) -> Callable[[BreakdownRow], Any]:
    """The key a column sorts by. Missing values (None, empty text, NaN) are kept apart by
    breakdown_sort.py, not compared."""
    if column == CAMPAIGN_SUMMARY:
        return lambda row: campaign_summary(row).casefold()
    if column.kind == TEXT:
        return lambda row: clean(row.labels.get(column.key, "")).casefold()
    if column.key == "share":
        # A share is visitors over one constant: it sorts like visitors, known total or not.
        return lambda row: row.metrics.get("visitors")
    if column.key == "revenue_per_visitor":
        return _revenue_per_visitor  # (what cell_value gives, without its checks: once per row)
    if column.derived:
        return lambda row: cell_value(column, row, None)
    return lambda row: row.metrics.get(column.key)
